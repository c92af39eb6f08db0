package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of w2v",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(s.out, versionString())
			return err
		},
	}
}

// versionString names the build: the module version go install recorded, or
// "(devel)" for a build from a checkout, then the Go release and platform.
func versionString() string {
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	return fmt.Sprintf("w2v %s %s %s/%s", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
