package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/kzgen/kzgen/runtime/crossbar"
)

// The listing rows ls reads: the few fields of each collection's Crossbar
// listing it shows. Rows are Crossbar's summaries (the crossbar_listing
// views), not documents: some fields are counts where the document has the
// list (a group's endpoints, a voicemail box's messages), so gen/kazoodoc's
// document types do not describe them; and kzgen, which go generate runs to
// write gen/, imports nothing from it.
type (
	lsUserRow struct {
		ID        string `json:"id"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Username  string `json:"username"`
		Email     string `json:"email"`
	}
	lsDeviceRow struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Username   string `json:"username"`
		DeviceType string `json:"device_type"`
		OwnerID    string `json:"owner_id"`
		Enabled    *bool  `json:"enabled"`
	}
	lsGroupRow struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Endpoints int    `json:"endpoints"`
	}
	lsVMBoxRow struct {
		ID       string          `json:"id"`
		Name     string          `json:"name"`
		Mailbox  json.RawMessage `json:"mailbox"`
		OwnerID  string          `json:"owner_id"`
		Messages int             `json:"messages"`
	}
	lsConferenceRow struct {
		ID                string   `json:"id"`
		Name              string   `json:"name"`
		ConferenceNumbers []string `json:"conference_numbers"`
		OwnerID           string   `json:"owner_id"`
	}
	lsMediaRow struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		MediaSource string `json:"media_source"`
		Language    string `json:"language"`
	}
	lsCallflowRow struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Numbers  []string `json:"numbers"`
		Patterns []string `json:"patterns"`
		Modules  []string `json:"modules"`
		OwnerID  string   `json:"owner_id"`
		GroupID  string   `json:"group_id"`
	}
)

// lsKinds maps each kind ls lists to its collection.
var lsKinds = map[string]crossbar.Resource{
	"users":       crossbar.Users,
	"devices":     crossbar.Devices,
	"groups":      crossbar.Groups,
	"vmboxes":     crossbar.VMBoxes,
	"conferences": crossbar.Conferences,
	"media":       crossbar.Media,
	"callflows":   crossbar.Callflows,
}

func runLs(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kzgen ls", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "print Crossbar's listing rows as one JSON array, for tools")
	kz := addKazooFlags(fl)
	kinds := slices.Sorted(maps.Keys(lsKinds))
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: kzgen ls [-json] %s\n\n", strings.Join(kinds, "|"))
		fmt.Fprintln(stderr, "Lists the account's documents of one kind, every page, as a table of IDs,")
		fmt.Fprintln(stderr, "names and the numbers that reach them: the IDs a callflow's user, device,")
		fmt.Fprintln(stderr, "group, voicemail, conference, play or callflow node takes. Users and groups")
		fmt.Fprintln(stderr, "show the numbers of the callflows they own; devices, voicemail boxes and")
		fmt.Fprintln(stderr, "conferences their owner's name.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, kazooUsage)
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Flags:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return flagExit(err)
	}
	if fl.NArg() != 1 {
		fmt.Fprintf(stderr, "kzgen ls: give one kind: %s\n", strings.Join(kinds, ", "))
		return 2
	}
	resource, ok := lsKinds[fl.Arg(0)]
	if !ok {
		fmt.Fprintf(stderr, "kzgen ls: unknown kind %q: want one of %s\n", fl.Arg(0), strings.Join(kinds, ", "))
		return 2
	}
	c, err := kz.client(stderr, "ls")
	if err != nil {
		fmt.Fprintf(stderr, "kzgen ls: %v\n", err)
		return 2
	}
	ctx, stop := commandContext()
	defer stop()
	rows, err := crossbar.ListAll[json.RawMessage](ctx, c, resource, nil)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen ls: %v\n", err)
		return 1
	}
	if *asJSON {
		if rows == nil {
			rows = []json.RawMessage{}
		}
		out, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "kzgen ls: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", out)
		return 0
	}
	table, err := lsTable(ctx, c, resource, rows)
	if err != nil {
		fmt.Fprintf(stderr, "kzgen ls: %v\n", err)
		return 1
	}
	if len(table) == 1 {
		fmt.Fprintf(stderr, "kzgen ls: the account has no %s\n", fl.Arg(0))
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, line := range table {
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	tw.Flush()
	return 0
}

// lsTable turns listing rows into a table, header first, rows sorted by
// name. Numbers and owner names come from one more listing when the kind
// needs them.
func lsTable(ctx context.Context, c *crossbar.Client, r crossbar.Resource, raw []json.RawMessage) ([][]string, error) {
	var (
		numbersOf map[string][]string // user or group ID → numbers of its callflows
		userNames map[string]string   // user ID → name
	)
	switch r {
	case crossbar.Users, crossbar.Groups:
		flows, err := crossbar.ListAll[lsCallflowRow](ctx, c, crossbar.Callflows, nil)
		if err != nil {
			return nil, err
		}
		numbersOf = map[string][]string{}
		for _, f := range flows {
			for _, owner := range []string{f.OwnerID, f.GroupID} {
				if owner != "" {
					numbersOf[owner] = append(numbersOf[owner], f.Numbers...)
				}
			}
		}
	case crossbar.Devices, crossbar.VMBoxes, crossbar.Conferences:
		users, err := crossbar.ListAll[lsUserRow](ctx, c, crossbar.Users, nil)
		if err != nil {
			return nil, err
		}
		userNames = map[string]string{}
		for _, u := range users {
			userNames[u.ID] = u.name()
		}
	}
	owner := func(id string) string {
		if name, ok := userNames[id]; ok {
			return name
		}
		return dash(id)
	}
	numbers := func(id string) string {
		return dash(strings.Join(numbersOf[id], ", "))
	}
	var table [][]string
	add := func(header []string, row func(json.RawMessage) ([]string, error)) error {
		for _, data := range raw {
			line, err := row(data)
			if err != nil {
				return fmt.Errorf("reading a %s row: %w", r, err)
			}
			table = append(table, line)
		}
		slices.SortStableFunc(table, func(a, b []string) int { return cmp.Or(strings.Compare(a[1], b[1]), strings.Compare(a[0], b[0])) })
		table = slices.Insert(table, 0, header)
		return nil
	}
	var err error
	switch r {
	case crossbar.Users:
		err = add([]string{"ID", "NAME", "USERNAME", "EMAIL", "NUMBERS"}, func(data json.RawMessage) ([]string, error) {
			u, err := decodeRow[lsUserRow](data)
			return []string{u.ID, u.name(), dash(u.Username), dash(u.Email), numbers(u.ID)}, err
		})
	case crossbar.Devices:
		err = add([]string{"ID", "NAME", "SIP USERNAME", "TYPE", "OWNER", "ENABLED"}, func(data json.RawMessage) ([]string, error) {
			d, err := decodeRow[lsDeviceRow](data)
			enabled := "yes"
			if d.Enabled != nil && !*d.Enabled {
				enabled = "no"
			}
			return []string{d.ID, dash(d.Name), dash(d.Username), dash(d.DeviceType), owner(d.OwnerID), enabled}, err
		})
	case crossbar.Groups:
		err = add([]string{"ID", "NAME", "ENDPOINTS", "NUMBERS"}, func(data json.RawMessage) ([]string, error) {
			g, err := decodeRow[lsGroupRow](data)
			return []string{g.ID, dash(g.Name), strconv.Itoa(g.Endpoints), numbers(g.ID)}, err
		})
	case crossbar.VMBoxes:
		err = add([]string{"ID", "NAME", "MAILBOX", "OWNER", "MESSAGES"}, func(data json.RawMessage) ([]string, error) {
			v, err := decodeRow[lsVMBoxRow](data)
			return []string{v.ID, dash(v.Name), dash(strings.Trim(string(v.Mailbox), `"`)), owner(v.OwnerID), strconv.Itoa(v.Messages)}, err
		})
	case crossbar.Conferences:
		err = add([]string{"ID", "NAME", "NUMBERS", "OWNER"}, func(data json.RawMessage) ([]string, error) {
			f, err := decodeRow[lsConferenceRow](data)
			return []string{f.ID, dash(f.Name), dash(strings.Join(f.ConferenceNumbers, ", ")), owner(f.OwnerID)}, err
		})
	case crossbar.Media:
		err = add([]string{"ID", "NAME", "SOURCE", "LANGUAGE"}, func(data json.RawMessage) ([]string, error) {
			m, err := decodeRow[lsMediaRow](data)
			return []string{m.ID, dash(m.Name), dash(m.MediaSource), dash(m.Language)}, err
		})
	case crossbar.Callflows:
		err = add([]string{"ID", "NAME", "NUMBERS", "MODULES"}, func(data json.RawMessage) ([]string, error) {
			f, err := decodeRow[lsCallflowRow](data)
			return []string{f.ID, dash(f.Name), dash(strings.Join(append(slices.Clone(f.Numbers), f.Patterns...), ", ")), dash(strings.Join(f.Modules, ", "))}, err
		})
	}
	return table, err
}

// name is "First Last", or the username when both are empty.
func (u lsUserRow) name() string {
	return dash(cmp.Or(strings.TrimSpace(u.FirstName+" "+u.LastName), u.Username))
}

func decodeRow[T any](data json.RawMessage) (T, error) {
	var row T
	err := json.Unmarshal(data, &row)
	return row, err
}

// dash stands in for an empty cell.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
