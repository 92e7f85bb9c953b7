package ui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dockdoc/dockdoc/diagnose"
	"github.com/dockdoc/dockdoc/diagnose/images"
	"github.com/dockdoc/dockdoc/resolve"
)

// Digest pinning from the doctor (the CLI's --resolve): after a
// confirmation that names the images, their digests are looked up in a
// command (network I/O never runs in Update), then the file is diagnosed
// again with DD095 on, whose fixes the user toggles like any other.

type pinnedMsg struct {
	idx      int
	resolver func(string) (string, error)
	asked    int
	failed   []string
}

// pinImages lists the base images of a document that a digest could pin,
// the ones DD095 looks up, and those it skips because they name no
// version (no tag, or latest: DD001 gives them one first).
func pinImages(d *diagnose.Document) (imgs, unversioned []string) {
	seen := map[string]bool{}
	for _, s := range d.Stages {
		img := s.Image
		if img == "" || strings.Contains(img, "$") || strings.Contains(img, "@") || strings.EqualFold(img, "scratch") ||
			d.StageByName(img, s.Index) != nil || seen[img] {
			continue
		}
		seen[img] = true
		if _, tag, _ := images.SplitImageRef(img); tag == "" || tag == "latest" {
			unversioned = append(unversioned, img)
			continue
		}
		imgs = append(imgs, img)
	}
	return imgs, unversioned
}

func (m *Model) askPin() tea.Cmd {
	s := m.Session()
	imgs, unversioned := pinImages(s.Doc)
	if len(imgs) == 0 {
		if len(unversioned) > 0 {
			m.setStatus(fmt.Sprintf("nothing to look up: %s %s no version to pin; DD001 gives %s one first",
				strings.Join(unversioned, ", "), plural(len(unversioned), "names", "name"), plural(len(unversioned), "it", "them")))
			return nil
		}
		m.setStatus("no base image to pin: scratch, stages, ARG-built or already pinned")
		return nil
	}
	lines := append([]string(nil), imgs...)
	for _, img := range unversioned {
		lines = append(lines, img+" (skipped: no version to pin; DD001 gives it one first)")
	}
	idx := m.cur
	m.ask(&confirm{
		title: fmt.Sprintf("Look up the digests of %d base %s? This asks their registries (with your Docker login); dockdoc does nothing else on the network.", len(imgs), plural(len(imgs), "image", "images")),
		lines: lines,
		keys:  []key.Binding{m.keys.Confirm, m.keys.Cancel},
		yes: func(m *Model) tea.Cmd {
			m.busy = true
			m.setStatus("asking the registries…")
			return func() tea.Msg {
				r := resolve.NewResolver(context.Background(), resolve.Options{})
				msg := pinnedMsg{idx: idx, resolver: r.Resolve, asked: len(imgs)}
				for _, img := range imgs {
					if _, err := r.Resolve(img); err != nil {
						msg.failed = append(msg.failed, err.Error())
					}
				}
				return msg
			}
		},
	})
	return nil
}

// pinned re-diagnoses with the resolver, whose answers are all cached by
// now, so Update does no network I/O.
func (m *Model) pinned(msg pinnedMsg) tea.Cmd {
	m.busy = false
	s := m.sessions[msg.idx]
	s.opts.Resolve = msg.resolver
	cfg := diagnose.Config{}
	if s.opts.Config != nil {
		cfg = *s.opts.Config
	}
	cfg.Enabled = append(append([]string{}, cfg.Enabled...), "DD095")
	s.opts.Config = &cfg
	s.Doc.Config = nil
	kept, _ := s.Install(s.Doc, s.Stamp, true)
	m.refilter(msg.idx)
	if len(msg.failed) > 0 {
		m.setError(fmt.Sprintf("looked up %d of %d images; %s", msg.asked-len(msg.failed), msg.asked, strings.Join(msg.failed, "; ")))
		return nil
	}
	m.setStatus(fmt.Sprintf("looked up %d %s: the DD095 findings offer the digest pins (kept %d choices)", msg.asked, plural(msg.asked, "image", "images"), kept))
	return nil
}
