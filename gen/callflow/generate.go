package callflow

// The package, then the reference pages, both from the embedded schemas
// (kzgen docs does not import this package; a test in generator/docs holds
// the pages to it). kzgen gen's defaults make a callflow package of a set
// with callflows.action, so this is the README's command with this
// package's name.
//go:generate go run ../../cmd/kzgen gen -out . -pkg callflow
//go:generate go run ../../cmd/kzgen docs -out ../../docs/ref
