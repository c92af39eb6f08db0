#!/usr/bin/python3
"""linebreak.py - write a copy of a text8-style corpus with N words per line.

Usage: linebreak.py IN OUT [WORDS_PER_LINE]   (default 1000 words a line)

make-corpus.sh writes one single line of words. gensim's fast corpus_file= mode
needs line breaks (on the single-line file it trains almost nothing), and
fastText and the word2vec C tool also treat a line as a sentence, so the bench
trains the peers on this copy. The words and their order are unchanged; only
every WORDS_PER_LINE-th separating space becomes a newline (the file ends with a
newline).

Idempotent: OUT.stamp records the input's size and modification time (and its
make-corpus stamp, when there is one) and WORDS_PER_LINE; when it matches,
nothing is rewritten. Standard library only.
"""
import os
import sys


def stamp_text(src, per_line):
    st = os.stat(src)
    lines = [f"source={os.path.abspath(src)}", f"source_bytes={st.st_size}",
             f"source_mtime_ns={st.st_mtime_ns}", f"words_per_line={per_line}"]
    try:
        with open(src + ".stamp") as f:
            lines += ["source_" + l.strip() for l in f if l.startswith("recipe=")]
    except FileNotFoundError:
        pass
    return "\n".join(lines) + "\n"


def read_stamp(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def linebreak(src, dst, per_line=1000, chunk=1 << 22):
    """Write dst from src with per_line words a line; return the word count."""
    stamp = dst + ".stamp"
    want = stamp_text(src, per_line)
    old = read_stamp(stamp)
    if old is not None and os.path.exists(dst) and old.startswith(want):
        for l in old.splitlines():
            if l.startswith("words="):
                return int(l[6:])
    tmp = dst + ".part"
    words = 0
    in_line = 0
    carry = b""
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        out = []
        while True:
            buf = fin.read(chunk)
            if not buf:
                break
            buf = carry + buf
            parts = buf.split()
            # The last token may continue in the next chunk, unless the chunk ends in white space.
            if buf[-1:].isspace():
                carry = b""
            else:
                carry = parts.pop() if parts else b""
            i = 0
            while i < len(parts):
                take = parts[i:i + per_line - in_line]
                if in_line:
                    out.append(b" ")
                out.append(b" ".join(take))
                in_line += len(take)
                words += len(take)
                i += len(take)
                if in_line == per_line:
                    out.append(b"\n")
                    in_line = 0
            fout.write(b"".join(out))
            out.clear()
        if carry:
            if in_line:
                fout.write(b" ")
            fout.write(carry)
            in_line += 1
            words += 1
        if in_line:
            fout.write(b"\n")
    os.replace(tmp, dst)
    with open(stamp, "w") as f:
        f.write(want + f"words={words}\nbytes={os.path.getsize(dst)}\n")
    return words


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    per_line = int(argv[3]) if len(argv) == 4 else 1000
    if per_line < 1:
        sys.exit("linebreak: WORDS_PER_LINE must be at least 1")
    n = linebreak(argv[1], argv[2], per_line)
    print(f"linebreak: {argv[2]}: {n} words, {per_line} a line", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
