package callflow

// The package, then the reference pages, both from the embedded schemas
// (kzgen docs does not import this package; a test in generator/docs holds
// the pages to it). kzgen gen's defaults make a callflow package of a set
// with callflows.action, so this is the README's command with this
// package's name.
//go:generate go run ../../cmd/kzgen gen -out . -pkg callflow
//go:generate go run ../../cmd/kzgen docs -out ../../docs/ref

// Crossbar's documents (github.com/kzgen/kzgen/gen/kazoodoc), whose callflow
// trees are this package's: kzgen gen takes them from here by default for a
// set with the node schema but no module. The -match is schemas.DocumentMatch.
//go:generate go run ../../cmd/kzgen gen -out ../kazoodoc -pkg kazoodoc -match callflows,conferences,devices,groups,media,menus,temporal_rules,temporal_rules_sets,users,vmboxes,webhooks
