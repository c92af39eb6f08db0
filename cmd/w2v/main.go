// Command w2v trains word vectors and answers questions with them.
//
// Run "w2v help" for the list of commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
