package main

import (
	"os"

	"github.com/w2vtool/w2v/internal/failure"
)

// checkOutputs refuses to write an output over one of the inputs, which
// would destroy the data before (or while) it is read. Paths that do not
// exist yet and "-" (a standard stream) never clash. Comparing files, not
// names, catches links and different spellings of one path.
func checkOutputs(outputs, inputs []string) error {
	for _, out := range outputs {
		if out == "" || out == "-" {
			continue
		}
		fo, err := os.Stat(out)
		if err != nil {
			continue // a new file, or one the write will report on
		}
		for _, in := range inputs {
			if in == "" || in == "-" {
				continue
			}
			if fi, err := os.Stat(in); err == nil && os.SameFile(fo, fi) {
				return failure.Usagef("the output %s is the input %s; writing it would destroy the input: choose another output", out, in)
			}
		}
	}
	return nil
}
