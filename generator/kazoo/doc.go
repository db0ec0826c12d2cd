// Package kazoo describes what Kazoo does with a callflow at run time that its
// JSON schemas do not say: which child keys each callflow module reads, when
// it runs its default child "_", the hangup causes a failed call reports,
// and the unit of every duration field. The facts come from one table,
// schemas/kzgen/modules.json (embedded as schemas.Tables), which this
// package loads and checks; the emitters (builder methods such as
// Menu().OnDigits or User().OnCause, constants, reference pages), kzgen
// validate's warnings and the simulator all read it through this package.
//
// # The table
//
// The file is one JSON object:
//
//   - "source": the Kazoo code the facts were read from.
//   - "bridge_failure": "default_cause" and "default_code", the keys Kazoo
//     uses when a failure event lacks a cause or a code ("UNSPECIFIED",
//     "sip:600"), and "causes", the common FreeSWITCH hangup causes, each
//     with a Go constant name, its typical SIP codes and where they come
//     from.
//   - "families": key families shared by modules, by name. A family is a
//     set of keys described by an anchored regular expression ("pattern"),
//     the builder "method" that attaches a child for one of them, the
//     method's argument ("arg": its type — string, integer, duration or
//     cause —, a fmt "format" turning it into the key, and "min"/"max"), an
//     "example" key, a "noun" for lists ("SIP codes such as sip:486"), a
//     "meaning" and optional default "when"/"missing" texts.
//   - "modules": one entry per callflow module, by name. "keys" lists, in the
//     order Kazoo tries them, the keys the module itself can select: a fixed
//     key ("key", with its "method") or a family ("family"); each says
//     "when" the module takes it and what happens when the node has no such
//     child ("missing"), and may carry "only_if" conditions on the node's
//     data (a field that must be "present" or absent, or whose value, or
//     "default" when absent, must be "in" a list). "default" says whether
//     "_" is ever "used", what follows a normal finish ("after_success") and
//     a failed call attempt ("after_failure"), in words ("about").
//     "notes" and "docs_differ" (where Kazoo's own documentation says
//     otherwise) are optional.
//   - "units": by schema id, then by the JSON pointer of a field's
//     declaration in that schema file (the model's Type.Pointer), the
//     field's unit ("ms" or "s") and the evidence for it.
//   - "unit_unknown": the same addressing, for duration fields whose unit
//     could not be settled, with the reason.
//
// Fixed keys become constants named after their method without "On"
// (Key.Const: "match" is Match, "ON_FAX" is Fax); the loader makes sure one
// key string has one method across all modules and one method one key.
//
// Modules the table does not know (a user's own Kazoo may have more) get no
// typed keys: only "_" and free-form branches; Lint says nothing about them.
package kazoo
