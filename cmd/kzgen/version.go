package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); otherwise
// it comes from the module's build information.
var version = ""

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kzgen version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: kzgen version")
		fmt.Fprintln(stderr, "Prints kzgen's module version, the commit it was built from when known, and the")
		fmt.Fprintln(stderr, "Go version that built it.")
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	fmt.Fprintln(stdout, versionLine(debug.ReadBuildInfo()))
	return 0
}

// versionLine describes this build: "kzgen v1.2.3 (commit 0123abcd, modified)
// go1.26.8". The version is the link-time one, else the module version from
// the build information ("devel" for a build inside the repository).
func versionLine(info *debug.BuildInfo, ok bool) string {
	v := version
	if v == "" && ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	if v == "" {
		v = "devel"
	}
	line := "kzgen " + v
	if !ok {
		return line + " " + runtime.Version()
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		line += " (commit " + revision
		if modified == "true" {
			line += ", modified"
		}
		line += ")"
	}
	return line + " " + info.GoVersion
}
