package search

import (
	"slices"
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	for _, tt := range []struct {
		in       string
		pos, neg string // words joined by spaces
		str      string // Expr.String
		err      string // substring of the error; "" for none
	}{
		{in: "man king woman", pos: "king woman", neg: "man", str: "king - man + woman"},
		{in: "king - man + woman", pos: "king woman", neg: "man", str: "king - man + woman"},
		{in: "king + woman - man", pos: "king woman", neg: "man", str: "king - man + woman"},
		{in: "paris", err: `"paris": want three words "a b c"`},
		{in: "a b c d", err: "want three words"},
		{in: "king", err: "want three words"},
		{in: "- king", neg: "king", err: "needs at least one word added"},
		{in: "+ king", pos: "king", str: "king"},
		{in: "a + b + c - d - e", pos: "a b c", neg: "d e", str: "a + b + c - d - e"},
		{in: "a - b - c", pos: "a", neg: "b c", str: "a - b - c"},
		{in: "king - - man", err: "two operators in a row"},
		{in: "king - man woman", err: `missing + or - between "man" and "woman"`},
		{in: "king +", err: "expression ends with an operator"},
		{in: "+", err: "expression ends with an operator"},
		{in: "king -man +woman", pos: "king woman", neg: "man", str: "king - man + woman"},
		{in: "-man + king +woman", pos: "king woman", neg: "man", str: "king - man + woman"},
		{in: "king -man woman", err: `missing + or - between "man" and "woman"`},
		{in: "king --man", err: "two operators in a row"},
	} {
		e, err := ParseExpr(strings.Fields(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseExpr(%q) = %v, %v; want an error containing %q", tt.in, e, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.in, err)
			continue
		}
		if !slices.Equal(e.Pos, strings.Fields(tt.pos)) || !slices.Equal(e.Neg, strings.Fields(tt.neg)) {
			t.Errorf("ParseExpr(%q) = +%q -%q; want +%q -%q", tt.in, e.Pos, e.Neg, tt.pos, tt.neg)
		}
		if s := e.String(); s != tt.str {
			t.Errorf("ParseExpr(%q).String() = %q; want %q", tt.in, s, tt.str)
		}
	}
}
