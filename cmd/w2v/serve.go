package main

import (
	"context"
	"net"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

// serveOptions are the serve command's settings.
type serveOptions struct {
	model string
	addr  string
	log   bool
}

func newServeCmd(s streams) *cobra.Command {
	o := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve -m MODEL [--addr HOST:PORT]",
		Short: "Answer nearest, analogy, similarity and vector queries over HTTP, as JSON",
		Long: `Answer queries of a model over HTTP, as JSON, with the answers nearest and
analogy give (the same code answers both): one model, memory-mapped when it
is a native .w2v file, shared by all requests.

Endpoints (GET with URL parameters, or POST a JSON object of the same names):
  /v1/nearest     word (repeat it to sum several; POST "words": [...]), k,
                  metric, exact, ef: as w2v nearest --json
  /v1/analogy     query ("a b c" or "king - man + woman"), k, method
                  (add or mul), metric, exact, ef: as w2v analogy --json
  /v1/similarity  word1, word2: their cosine similarity
  /v1/vector      word: its vector as the file holds it, and its length
  /v1/info        the model's size and index

A word outside the vocabulary of a model with fastText n-grams (a .bin, or a
native file made from one) gets the vector of its n-grams and is listed in
"from_subwords", as on the command line.

k is 1 to 1000 (default 10). A bad request (an unknown word, malformed JSON,
k out of range, a body over 64 KiB) is answered 4xx with {"error": "..."}.
Slow clients are cut off (5 s to send the headers, 10 s the request).
SIGINT or SIGTERM stops the server gracefully: it finishes the requests in
flight (for up to 10 s) and exits 0. Requests are logged to standard error
only with --log. The server listens on loopback by default; it has no
authentication, so put a proxy in front of it before exposing it.`,
		Example: `  w2v serve -m vectors.w2v --addr 127.0.0.1:8080
  curl 'http://127.0.0.1:8080/v1/nearest?word=king&k=5'
  curl 'http://127.0.0.1:8080/v1/nearest?word=kingg&k=5'   # fastText n-grams
  curl 'http://127.0.0.1:8080/v1/analogy?query=king+-+man+%2B+woman&method=mul'
  curl -d '{"words": ["paris"], "k": 3}' http://127.0.0.1:8080/v1/nearest`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), s, o)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "host:port to listen on (port 0: any free port)")
	f.BoolVar(&o.log, "log", false, "log each request to standard error")
	return cmd
}

func runServe(ctx context.Context, s streams, o serveOptions) error {
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return failure.Usagef("--addr: %v", err)
	}
	return job.Serve(ctx, s.job(), o.model, o.addr, o.log)
}
