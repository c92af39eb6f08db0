package search

import (
	"fmt"
	"strings"
)

// Expr is a query written with words: the words added and the words
// subtracted.
type Expr struct {
	Pos, Neg []string
}

// ParseExpr reads a query's words. Three words "a b c" mean a is to b as c
// is to ?, that is b − a + c, as word2vec's word-analogy reads them; any
// other query joins words with "+" and "-", as in "king - man + woman"; a
// sign may also be written against its word, "king -man +woman".
func ParseExpr(tokens []string) (Expr, error) {
	query := strings.Join(tokens, " ")
	isOp := func(t string) bool { return t == "+" || t == "-" }
	hasOp := false
	var split []string
	for _, t := range tokens {
		hasOp = hasOp || isOp(t[:min(1, len(t))])
		for len(t) > 1 && isOp(t[:1]) {
			split = append(split, t[:1])
			t = t[1:]
		}
		split = append(split, t)
	}
	tokens = split
	if !hasOp {
		if len(tokens) != 3 {
			return Expr{}, fmt.Errorf(`%q: want three words "a b c" (a is to b as c is to ?) or an expression such as "king - man + woman"`, query)
		}
		return Expr{Pos: []string{tokens[1], tokens[2]}, Neg: []string{tokens[0]}}, nil
	}
	var e Expr
	sign := "+"
	expectWord := true
	for i, t := range tokens {
		switch {
		case isOp(t) && expectWord && i > 0:
			return Expr{}, fmt.Errorf("%q: two operators in a row", query)
		case isOp(t):
			sign, expectWord = t, true
		case !expectWord:
			return Expr{}, fmt.Errorf("%q: missing + or - between %q and %q", query, tokens[i-1], t)
		default:
			if sign == "+" {
				e.Pos = append(e.Pos, t)
			} else {
				e.Neg = append(e.Neg, t)
			}
			expectWord = false
		}
	}
	if expectWord {
		return Expr{}, fmt.Errorf("%q: expression ends with an operator", query)
	}
	if len(e.Pos) == 0 {
		return Expr{}, fmt.Errorf("%q: needs at least one word added", query)
	}
	return e, nil
}

// String writes the expression as "king - man + woman": the classic
// b − a + c in that order, any other with its added words first.
func (e Expr) String() string {
	if len(e.Pos) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(e.Pos[0])
	if len(e.Pos) == 2 && len(e.Neg) == 1 {
		fmt.Fprintf(&b, " - %s + %s", e.Neg[0], e.Pos[1])
		return b.String()
	}
	for _, w := range e.Pos[1:] {
		b.WriteString(" + " + w)
	}
	for _, w := range e.Neg {
		b.WriteString(" - " + w)
	}
	return b.String()
}
