package pivot

import (
	"net/http"

	"github.com/kzgen/kzgen/runtime/wire"
)

// The request side of a Pivot server lives in runtime/wire, below the
// generated callflow package, so that tools which must not depend on
// generated code (a fake Kazoo, the simulator) share it. This file names
// what a handler reads, so that a server imports this package alone:
// pivot.Request is wire.Request, and so on. Building and encoding requests
// as Kazoo sends them (EncodeForm, EncodeJSON, NewHTTPRequest, the Value
// constructors) is runtime/wire's alone.

// Request is one Pivot request from Kazoo, every parameter in a typed field
// whichever naming it arrived in; see wire.Request.
type Request = wire.Request

// RequestVars are the variables Kazoo merges into every Pivot request; see
// wire.RequestVars.
type RequestVars = wire.RequestVars

// Digits holds the Digits parameter: a plain string or DTMF collections by
// name; see wire.Digits.
type Digits = wire.Digits

// Format names the parameter naming of a request, "kazoo" or "twiml"; see
// wire.Format.
type Format = wire.Format

// The parameter namings; see wire.FormatKazoo.
const (
	FormatUnknown = wire.FormatUnknown // no name only one naming uses
	FormatKazoo   = wire.FormatKazoo   // req_format "kazoo": Call-ID, Caller-ID-Name, …
	FormatTwiML   = wire.FormatTwiML   // req_format "twiml": CallSid, CallerName, …
)

// BodyFormat says where a request's parameters travel; see wire.BodyFormat.
type BodyFormat = wire.BodyFormat

// The parameter carriers; see wire.BodyQuery.
const (
	BodyQuery = wire.BodyQuery // GET query string, form-encoded
	BodyForm  = wire.BodyForm  // POST, application/x-www-form-urlencoded
	BodyJSON  = wire.BodyJSON  // POST, application/json
)

// Values Kazoo always sends for these parameters.
const (
	KazooAPIVersion  = wire.KazooAPIVersion  // Api-Version in the kazoo naming: "4.x"
	TwiMLAPIVersion  = wire.TwiMLAPIVersion  // ApiVersion in the twiml naming: "2010-04-01"
	DirectionInbound = wire.DirectionInbound // Direction in both namings: "inbound"
)

// Content types Kazoo puts on a POST; ContentTypeJSON is also the one
// Content-Type Kazoo reads a Kazoo JSON answer by.
const (
	ContentTypeForm = wire.ContentTypeForm // "application/x-www-form-urlencoded"
	ContentTypeJSON = wire.ContentTypeJSON // "application/json"
)

// Params is the ordered parameter tree of a request (Request.Raw); see
// wire.Params.
type Params = wire.Params

// Param is one named parameter; see wire.Param.
type Param = wire.Param

// Value is one parameter value: a string, number, boolean, list or object;
// see wire.Value.
type Value = wire.Value

// Kind says what a Value holds; see wire.Kind.
type Kind = wire.Kind

// The kinds of Value, one per JSON type.
const (
	KindNull   = wire.KindNull
	KindString = wire.KindString
	KindNumber = wire.KindNumber
	KindBool   = wire.KindBool
	KindList   = wire.KindList
	KindObject = wire.KindObject
)

// BodyError reports a request body that could not be decoded, with the byte
// offset and the parameter being decoded; see wire.BodyError.
type BodyError = wire.BodyError

// ErrUnsupportedMethod is wrapped by the errors for HTTP methods other than
// GET and POST (and HEAD, read like GET), the only ones Kazoo uses.
var ErrUnsupportedMethod = wire.ErrUnsupportedMethod

// ParseRequest reads a Pivot request as Kazoo sends it: a GET (or HEAD)
// query, a POST form body or a POST JSON body, in the kazoo or twiml naming.
// Handler calls it for you; see wire.ParseRequest for every rule.
func ParseRequest(r *http.Request) (*Request, error) { return wire.ParseRequest(r) }

// PlainDigits returns Digits holding the plain string s, as the TwiML
// receiver sends them.
func PlainDigits(s string) Digits { return wire.PlainDigits(s) }

// DigitCollections returns Digits holding a copy of the named DTMF
// collections; an empty map gives the zero Digits.
func DigitCollections(c map[string]string) Digits { return wire.DigitCollections(c) }
