package callflow

// The package first, then the reference pages, which are built from it
// (their examples come from the generated Example function). kzgen gen's
// defaults make a callflow package of a set with callflows.action, so this
// is the README's command with this package's name.
//go:generate go run ../../cmd/kzgen gen -out . -pkg callflow
//go:generate go run ../../cmd/kzgen docs -out ../../docs/ref
