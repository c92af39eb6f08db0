package main

// Helpers shared by the query commands: nearest, analogy, similarity.

import (
	"fmt"

	"github.com/spf13/cobra"
)

// modelFlag adds the -m/--model flag every query command has. exprs says
// the command reads expressions such as "king - man + woman".
func modelFlag(cmd *cobra.Command, p *string, exprs bool) {
	cmd.Flags().VarP(&modelValue{p: p, exprs: exprs}, "model", "m", "vector file: word2vec text or binary, fastText .vec, gzipped, or w2v native (required)")
}

// modelValue is the -m flag's value. It may be set once: a second -m is a
// mistake, and usually not one the user wrote, because the flag parser reads
// "king -man + woman" as "king -m an + woman".
type modelValue struct {
	p     *string
	set   bool
	exprs bool
}

func (m *modelValue) String() string { return *m.p }
func (m *modelValue) Type() string   { return "string" }

func (m *modelValue) Set(s string) error {
	if m.set {
		if m.exprs {
			return fmt.Errorf(`the model is already %q, and "-m%s" reads as -m %s: to subtract a word write the minus on its own, "king - man + woman", or put -- before the query`, *m.p, s, s)
		}
		return fmt.Errorf("the model is already %q; give -m once", *m.p)
	}
	*m.p, m.set = s, true
	return nil
}
