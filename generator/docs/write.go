package docs

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kzgen/kzgen/internal/outdir"
)

// WriteDir replaces the generated pages in dir with files, all at once: a
// failure leaves dir as it was. Markdown files in dir that an earlier run
// generated (they start with Header) but this one does not are removed, so
// a module that disappears loses its page; other files are left alone.
func WriteDir(dir string, files []File) error {
	out := make([]outdir.File, len(files))
	for i, f := range files {
		out[i] = outdir.File{Name: f.Name, Content: f.Content}
	}
	return outdir.Replace(dir, out, func(path string, e fs.DirEntry) (bool, error) {
		if !strings.HasSuffix(e.Name(), ".md") {
			return false, nil
		}
		return isGenerated(path)
	})
}

// isGenerated reports whether the file at path starts with Header.
func isGenerated(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("checking %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	head := make([]byte, len(Header))
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte(Header)), nil
}
