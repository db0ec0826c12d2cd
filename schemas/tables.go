package schemas

import "embed"

// Tables holds kzgen's own data kept beside the schemas, in the kzgen/
// directory: facts about Kazoo that its JSON schemas do not carry. They live
// in a subdirectory so that FS, which holds the schemas at its root, never
// mistakes them for schemas. generator/kazoo reads and checks them.
//
//go:embed kzgen/*.json
var Tables embed.FS

// ModulesTable is the name, inside Tables (and inside this directory), of
// the table of Kazoo's callflow modules: for each module the child keys it
// reads, when it runs its "_" child and the builder method each key gets;
// the common bridge-failure causes; and the unit (milliseconds or seconds)
// of every duration field of the callflow schemas. It is our own reading of
// Kazoo's code; see generator/kazoo for its format.
const ModulesTable = "kzgen/modules.json"
