package callflow

// The package first, then the reference pages, which are built from it
// (their examples come from the generated Example function).
//go:generate go run ../../cmd/kzgen gen -out . -pkg callflow -match callflows,callflows.* -trim-prefix callflows. -type-suffix Data -nodes
//go:generate go run ../../cmd/kzgen docs -out ../../docs/ref
