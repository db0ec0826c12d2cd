package callflow

//go:generate go run ../../cmd/kzgen gen -out . -pkg callflow -match callflows* -trim-prefix callflows. -type-suffix Data -nodes
