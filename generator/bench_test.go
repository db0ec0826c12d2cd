package generator_test

import (
	"os"
	"testing"

	"github.com/kzgen/kzgen/generator"
	"github.com/kzgen/kzgen/generator/golang"
	"github.com/kzgen/kzgen/generator/load"
	"github.com/kzgen/kzgen/generator/load/reference"
	"github.com/kzgen/kzgen/internal/kazootest"
	"github.com/kzgen/kzgen/schemas"
)

// BenchmarkLoadAll is the baseline: reading and compiling all of Kazoo's
// schemas with santhosh-tekuri/jsonschema (package load/reference), as
// kzgen gen did before it had its own keyword check.
func BenchmarkLoadAll(b *testing.B) {
	fsys := os.DirFS(kazootest.SchemaDir(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reference.Load(fsys, load.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateAll is the whole pipeline on all of Kazoo's schemas:
// load, model and emit gofmt-ed Go for every file (not written to disk).
func BenchmarkGenerateAll(b *testing.B) {
	fsys := os.DirFS(kazootest.SchemaDir(b))
	b.ReportAllocs()
	for b.Loop() {
		res, err := generator.Generate(generator.Config{Schemas: fsys, Go: golang.Options{Package: "kazoo"}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Files) != 777 {
			b.Fatalf("%d files", len(res.Files))
		}
	}
}

// BenchmarkGenerateCallflow is what `kzgen gen -force` does on the
// embedded callflow set, less writing the files: load, model, emit and
// format gen/callflow's 91 files.
func BenchmarkGenerateCallflow(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		res, err := generator.Generate(generator.Config{Schemas: schemas.FS, Name: "embedded", Match: schemas.CallflowMatch,
			Go: golang.Options{Package: "callflow", TrimPrefix: golang.DefaultTrimPrefix, TypeSuffix: golang.DefaultTypeSuffix, Nodes: true}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Files) < 80 {
			b.Fatalf("%d files", len(res.Files))
		}
	}
}
