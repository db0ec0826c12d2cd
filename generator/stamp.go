package generator

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/internal/outdir"
)

// StampFile is the file Run keeps beside the generated files. It records
// what produced them, so that a run with the same kzgen build, options and
// schema files can skip its work. It is JSON, written the same way byte
// for byte by the same run:
//
//	{
//	  "//": "…what the file is…",
//	  "kzgen": "go1.26.1 github.com/kzgen/kzgen (devel) buildid a1b2…",
//	  "args": ["-match=callflows,callflows.*", "-nodes=true", "-pkg=callflow", …],
//	  "schemas": "sha256:9f86… (88 files)",
//	  "warnings": ["schemas/x.json#/pattern: …"],
//	  "files": {"callflows.kz.go": "<sha256 of its content>", …}
//	}
//
// It is a cache entry, not a source: deleting it only makes the next run
// regenerate. A repository that commits generated code can ignore it.
const StampFile = ".kzgen.stamp"

// stamp is the content of StampFile.
type stamp struct {
	Comment string `json:"//"`
	// Kzgen identifies the kzgen build (see BuildIdentity).
	Kzgen string `json:"kzgen"`
	// Args are the options that shaped the output.
	Args []string `json:"args"`
	// Schemas is the fingerprint of the schema files (load.Fingerprint).
	Schemas string `json:"schemas"`
	// Warnings are the warnings of the run, repeated by runs it spares.
	Warnings []string `json:"warnings,omitempty"`
	// Files maps each generated file to the SHA-256 of its content.
	Files map[string]string `json:"files"`
}

const stampComment = "Written by kzgen gen: what produced the generated files of this directory. " +
	"While all of it still holds, kzgen gen has nothing to do; -force, or deleting this file, makes it regenerate."

// sameInputs reports whether two stamps record the same build, options and
// schemas.
func (s *stamp) sameInputs(o *stamp) bool {
	return s.Kzgen == o.Kzgen && slices.Equal(s.Args, o.Args) && s.Schemas == o.Schemas
}

// encode renders the stamp; the same stamp always gives the same bytes
// (encoding/json sorts map keys).
func (s *stamp) encode() []byte {
	s.Comment = stampComment
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return append(data, '\n')
}

// RunOptions says where Run writes and how it treats earlier output.
type RunOptions struct {
	// Dir is the output directory.
	Dir string
	// Args records the options that shaped the output (for kzgen gen,
	// every flag but -out and -force, defaults included). A run whose Args
	// differ from the stamp's regenerates.
	Args []string
	// Force regenerates even when the stamp shows the output current.
	Force bool
}

// RunResult reports what Run did.
type RunResult struct {
	// UpToDate is true when the stamp showed the output current, so
	// nothing was loaded, generated or written.
	UpToDate bool
	// Files counts the generated files (the stamp not included); Schemas
	// the schemas generated, 0 when UpToDate.
	Files, Schemas int
	// Warnings are the load's warnings, repeated from the stamp when
	// UpToDate.
	Warnings []string
}

// Run generates cfg into opts.Dir unless the directory's stamp shows that
// the same kzgen build, with the same options and schema files, wrote the
// generated files there and that they are still as written (none changed,
// deleted, or added beside them). The check reads the schema files and
// the generated files but parses no schema, so an unchanged run costs a
// fraction of a generation. Otherwise Run generates, staging each file as
// soon as it is rendered, and writes the files and a new stamp as one
// update of the directory (see WriteDir).
func Run(cfg Config, opts RunOptions) (*RunResult, error) {
	// Fail on a bad package name before touching the directory.
	if err := CheckPackageName(cfg.Go.Package); err != nil {
		return nil, err
	}
	d, err := outdir.Open(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	fingerprint, err := load.Fingerprint(cfg.Schemas, cfg.Name)
	if err != nil {
		return nil, err
	}
	next := &stamp{Kzgen: BuildIdentity(), Args: opts.Args, Schemas: fingerprint}
	if !opts.Force {
		if old := readStamp(opts.Dir); old != nil && old.sameInputs(next) && current(opts.Dir, old) {
			return &RunResult{UpToDate: true, Files: len(old.Files), Warnings: old.Warnings}, nil
		}
	}
	// Each file is staged as soon as it is rendered, while the others
	// render: writing them all afterwards would leave the cores idle.
	u := d.Update()
	res, err := generate(cfg, func(f golang.File) { u.Put(outdir.File{Name: f.Name, Content: f.Content}) })
	if err != nil {
		u.Abort()
		return nil, err
	}
	for _, w := range res.Warnings {
		next.Warnings = append(next.Warnings, w.String())
	}
	next.Files = make(map[string]string, len(res.Files))
	for _, f := range res.Files {
		sum := sha256.Sum256(f.Content)
		next.Files[f.Name] = hex.EncodeToString(sum[:])
	}
	u.Put(outdir.File{Name: StampFile, Content: next.encode()})
	if err := u.Commit(isGenerated); err != nil {
		return nil, err
	}
	return &RunResult{Files: len(res.Files), Schemas: len(res.Model.Schemas), Warnings: next.Warnings}, nil
}

// readStamp reads the stamp of dir; nil when there is none or it cannot be
// read, which only means regenerating.
func readStamp(dir string) *stamp {
	data, err := os.ReadFile(filepath.Join(dir, StampFile))
	if err != nil {
		return nil
	}
	var s stamp
	if json.Unmarshal(data, &s) != nil || s.Files == nil {
		return nil
	}
	return &s
}

// current reports whether dir holds exactly the generated files s lists,
// with the content it records, and no other file a regeneration would
// delete.
func current(dir string, s *stamp) bool {
	for name, sum := range s.Files {
		if name == "." || name == ".." || name == StampFile || strings.ContainsAny(name, `/\`) {
			return false // not written by kzgen
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return false
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil || hex.EncodeToString(h.Sum(nil)) != sum {
			return false
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if _, listed := s.Files[e.Name()]; !listed && e.Name() != StampFile {
			if generated, _ := isGenerated("", e); generated {
				return false
			}
		}
	}
	return true
}

// isGenerated says which files of the output directory an earlier run
// wrote and a regeneration deletes when it no longer produces them: the
// ".kz.go" files and the stamp.
func isGenerated(_ string, e fs.DirEntry) (bool, error) {
	return !e.IsDir() && (strings.HasSuffix(e.Name(), ".kz.go") || e.Name() == StampFile), nil
}

// BuildIdentity names the running kzgen build: the Go version, the main
// module's path and version, and the Go build ID of the executable, a hash
// of everything that went into it (sources, dependencies, toolchain,
// flags), so any change to kzgen changes it. Where the build ID cannot be
// read, the SHA-256 of the executable stands in for it, and where the
// executable cannot be read either, the module's VCS revision.
var BuildIdentity = sync.OnceValue(func() string {
	id := runtime.Version()
	info, ok := debug.ReadBuildInfo()
	if ok {
		id += " " + info.Main.Path + " " + info.Main.Version
	}
	exe, err := os.Executable()
	if err == nil {
		if bid := goBuildID(exe); bid != "" {
			return id + " buildid " + bid
		}
		if sum, err := fileSHA256(exe); err == nil {
			return id + " sha256 " + sum
		}
	}
	if ok {
		for _, s := range info.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				id += " " + s.Key + "=" + s.Value
			}
		}
	}
	return id
})

// goBuildID reads the Go build ID of an executable: from its ELF note, or
// from the "\xff Go build ID: "…"" string near the start of other
// executables (Mach-O, PE). "" when there is none.
func goBuildID(exe string) string {
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if sec := f.Section(".note.go.buildid"); sec != nil {
			if data, err := sec.Data(); err == nil && len(data) >= 16 {
				nameSize := f.ByteOrder.Uint32(data[0:])
				descSize := f.ByteOrder.Uint32(data[4:])
				start := 12 + (nameSize+3)&^3
				if int(start+descSize) <= len(data) && bytes.HasPrefix(data[12:], []byte("Go\x00")) {
					return string(data[start : start+descSize])
				}
			}
		}
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	const marker = "\xff Go build ID: \""
	i := bytes.Index(head, []byte(marker))
	if i < 0 {
		return ""
	}
	rest := head[i+len(marker):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return ""
	}
	return string(rest[:end])
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
