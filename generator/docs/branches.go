package docs

import (
	"fmt"
	"strings"

	"github.com/kzgen/kzgen/generator/kazoo"
)

// branches writes the "Branches" section: from Kazoo's table, the child
// keys the module reads, when it takes each and what happens when the
// node lacks that child, the key families' meaning, and when "_" runs.
// A module the table does not know gets Kazoo's general rule only.
func (p *page) branches() {
	p.printf("\n### Branches\n\n")
	p.printf("After a node, Kazoo runs one of its children (the node's `children`, by key); `\"_\"` is the default child.")
	km, ok := p.opts.Table.Module(p.mod.Name)
	if !ok {
		p.printf(" kzgen's table of Kazoo's modules does not describe `%s`, so only Kazoo's general rule applies: "+
			"when the module finishes it continues with `\"_\"`; when it asks for a child key the node lacks, "+
			"Kazoo runs `\"_\"` instead; and with no `\"_\"` either, the call ends.\n", p.mod.Name)
		return
	}
	if len(km.Keys) == 0 {
		p.printf(" %s reads no other key.\n\n", Title(p.mod.Name))
	} else {
		p.printf(" The keys %s reads, in the order it tries them:\n\n", Title(p.mod.Name))
		p.printf("Key | Go builder method | Taken when | When the node has no such child\n")
		p.printf("--- | ----------------- | ---------- | -------------------------------\n")
		for _, k := range km.Keys {
			when := k.When
			if len(k.OnlyIf) > 0 {
				when += fmt.Sprintf(" Only when %s.", conditions(k.OnlyIf))
			}
			p.printf("%s | %s | %s | %s\n", cell(keyCell(k)), cell(p.goMethod(k)), cell(when), cell(k.Missing))
		}
		var families []string
		causes := false
		for _, k := range km.Keys {
			if f := k.Family; f != nil {
				families = append(families, fmt.Sprintf("* %s: %s", f.Noun, f.Meaning))
				causes = causes || f.Arg.Type == kazoo.ArgCause
			}
		}
		if len(families) > 0 {
			p.printf("\nKey families:\n\n%s\n", strings.Join(families, "\n"))
		}
		if causes {
			p.printf("\nThe common hangup causes, with the SIP codes that usually come with them:\n\n%s\n", p.causes())
		}
		p.printf("\n")
	}
	p.printf("The default child `\"_\"`: %s", defaultRule(km))
	if about := km.Default.About; about != "" && about != "Runs next." { // the rule says that already
		p.printf(" %s", about)
	}
	p.printf("\n")
	if km.Notes != "" {
		p.printf("\n%s\n", km.Notes)
	}
	if km.DocsDiffer != "" {
		p.printf("\nWhere Kazoo's own documentation differs: %s\n", km.DocsDiffer)
	}
}

// goMethod names the builder method that attaches a child under k, as
// the Go emitter declares it (golang.API): "OnDigits(digits, next)", or
// Branch when the builder has no method of its own for the key (its name
// is a setter's).
func (p *page) goMethod(k *kazoo.Key) string {
	for _, b := range p.mod.Branches {
		if (k.Family == nil && b.Family == "" && b.Key == k.Fixed) || (k.Family != nil && b.Family == k.Family.Name) {
			return code(fmt.Sprintf("%s(%s)", b.Name, paramNames(b.Params)))
		}
	}
	if k.Family == nil {
		return code(fmt.Sprintf("Branch(%q, next)", k.Fixed))
	}
	return code("Branch(key, next)")
}

// paramNames keeps the names of a parameter list: "digits string, next
// Builder" gives "digits, next".
func paramNames(params string) string {
	parts := strings.Split(params, ", ")
	for i, part := range parts {
		parts[i], _, _ = strings.Cut(part, " ")
	}
	return strings.Join(parts, ", ")
}

// causes lists the table's common hangup causes, one line each.
func (p *page) causes() string {
	var lines []string
	for _, c := range p.opts.Table.Causes {
		codes := make([]string, len(c.SIPCodes))
		for i, n := range c.SIPCodes {
			codes[i] = code(fmt.Sprintf("sip:%d", n))
		}
		line := "* " + code(c.Cause)
		if len(codes) > 0 {
			line += " (" + strings.Join(codes, ", ") + ")"
		}
		lines = append(lines, line+": "+c.Meaning)
	}
	return strings.Join(lines, "\n")
}

// keyCell names a key in the table: the fixed key, or the family's noun,
// pattern and example.
func keyCell(k *kazoo.Key) string {
	if k.Family == nil {
		return code(k.Fixed)
	}
	f := k.Family
	return fmt.Sprintf("%s: %s, e.g. %s", f.Noun, code("/"+f.Pattern.String()+"/"), code(f.Example))
}

// defaultRule says in one or two sentences when the module runs "_".
func defaultRule(m *kazoo.Module) string {
	if !m.Default.Used {
		return "the module never takes it itself; only skip_module, which skips the node, leads there."
	}
	finish := "after a normal finish"
	if len(m.Keys) > 0 && m.Default.AfterFailure == "" { // a module that chooses a child
		finish = "when the module takes no child above"
	}
	s := fmt.Sprintf("%s, %s.", finish, outcome(m.Default.AfterSuccess))
	if m.Default.AfterFailure != "" {
		s += fmt.Sprintf(" After a failure that no child above handles, %s.", outcome(m.Default.AfterFailure))
	}
	return s
}

// outcome says what follows an outcome, as far as "_" is concerned.
func outcome(o kazoo.Outcome) string {
	switch o {
	case kazoo.Continue:
		return `"_" runs next`
	case kazoo.Stop:
		return `the flow ends there ("_" does not run)`
	case kazoo.Usurp:
		return `the call leaves this callflow ("_" does not run)`
	case kazoo.Branch:
		return `another callflow runs first, then "_"`
	case kazoo.Replace:
		return `the rest of the callflow is replaced ("_" does not run)`
	}
	return string(o)
}
