// Package schemas holds kzgen's own copy of the part of Kazoo's JSON schema
// set that kzgen generates Go from:
//
//   - the callflow closure: callflows.json, every callflows.*.json and every
//     schema they reach through "$ref" (CallflowMatch);
//   - the document closure: the Crossbar documents a Pivot developer reads
//     and writes (callflows, users, devices, groups, vmboxes, conferences,
//     media, menus, temporal rules and rule sets, webhooks) and every schema
//     they reach through "$ref" (DocumentMatch).
//
// generator/load computes a closure from its starting globs; the embedded
// files are exactly the union of the two closures (EmbeddedMatch).
//
// Schema ids are bare names such as "callflows.play", "devices" or
// "custom_sip_headers"; the file holding id X is "X.json" at the root of the
// file system.
package schemas

import "embed"

// FS is our copy of Kazoo's callflow and document schema closures (see the
// package doc), one <id>.json file per schema at the root. Every fact (keys,
// types, enums, defaults, limits, patterns, required lists, refs, ids) is
// identical to Kazoo's and laid out as Kazoo lays out its files; the
// "description" texts are our own, written for Go developers.
//
//go:embed *.json
var FS embed.FS

// CallflowMatch selects, as load.Options.Match globs, the schemas the
// callflow closure starts from: "callflows" and every "callflows.*".
// gen/callflow is generated from it.
const CallflowMatch = "callflows,callflows.*"

// DocumentMatch selects, as load.Options.Match globs, the Crossbar documents
// a Crossbar client reads and writes, one schema per REST resource:
// callflows, conferences, devices, groups, media, menus, temporal_rules,
// temporal_rules_sets, users, vmboxes and webhooks. Their closure adds the
// shared parts they reference (caller_id, endpoint.media, call_recording,
// dialplans, formatters, metaflows, profile, …).
const DocumentMatch = "callflows,conferences,devices,groups,media,menus,temporal_rules,temporal_rules_sets,users,vmboxes,webhooks"

// EmbeddedMatch selects, as load.Options.Match globs, every schema FS holds:
// the union of CallflowMatch and DocumentMatch. Reading FS, or Kazoo's own
// schema directory, with it gives the embedded set.
const EmbeddedMatch = CallflowMatch + "," + DocumentMatch
