// Package kzrt is the runtime below the code kzgen generates, as protoimpl
// is for protobuf: what every generated package shares, so that each
// package holds only what depends on its schemas.
//
// The callflow tree: Node (a module, its Data, its children), Data (the
// interface every generated module data type implements), RawData (data
// kept as JSON), Builder and Tree. Trees from any generated package are
// made of the same Node, so they compose, and code that walks, validates
// or encodes a tree (pivot servers, test kits, tools) needs no generated
// package. Node.Validate checks a whole tree as Kazoo checks a Pivot
// answer, without knowing the modules: Parse records in the tree what only
// the generated package knew (a module without schema, data filled in by
// default, children Kazoo never checks). Loops and trees deeper than
// MaxDepth are errors, never followed.
//
// Kazoo's own rules, which its schemas do not state and every kzgen
// validator shares: the error code of every problem (the Code constants),
// the client URL check (Blacklist; Validate with WithURLBlacklist checks
// with a site's list), the formats it checks (FormatOK), and what Crossbar
// does to a stored callflow (NumbersOrPatterns, CrossbarConvert, which
// Decoder.Node applies to node data, recording Node.Converted).
//
// The module registry: Modules, which a generated package builds once from
// its module data types; it types callflow JSON module by module, in one
// pass (ParseNode, ParseTree), and lists the modules.
//
// The machinery generated methods call: a reflection-free JSON Encoder
// whose output is byte for byte encoding/json's (HTML escaping off), a
// reflection-free Decoder that reads JSON token by token straight into
// generated types, as Kazoo reads it (the first copy of a repeated key;
// integers of any size, and numbers written 20.0 where an integer is
// wanted, kept verbatim for Validate), with JSON pointers and Kazoo's codes
// in its errors (DecodeError), and the Validator that collects every
// problem with its JSON pointer and code into Errors. One walk of a tree
// can validate and encode it (Node.AppendValidJSON).
//
// Application code uses the tree types, usually under a generated
// package's names (callflow.Node), and Errors, which every Validate
// returns. Exported methods named Kzrt… are hooks for this package,
// not for applications. Generated code refers to a Supports… constant
// so that code from an incompatible kzgen fails to compile with a
// message naming it (see GeneratedCodeVersion).
package kzrt
