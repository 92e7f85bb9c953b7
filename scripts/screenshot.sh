#!/usr/bin/env bash
# Refreshes the picture of the interactive doctor in the README.
#
# Builds dockdoc, runs `dockdoc demo` in a private tmux server at 100x30
# with NO_COLOR=1, turns on two fixes and opens the diff, captures the pane
# as text (tmux capture-pane -p) into docs/screenshot.txt, and copies that
# into README.md between the screenshot markers. Needs go and tmux.
#
#   scripts/screenshot.sh
#
# Everything it creates outside the repository lives in one mktemp
# directory, removed on exit: the binary, the tmux socket (TMUX_TMPDIR), an
# empty tmux configuration (so ~/.tmux.conf changes nothing), the demo
# project (TMPDIR) and HOME (so no user configuration is read).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -n $(command -v tmux) ]] || { echo "screenshot.sh: tmux is not installed" >&2; exit 1; }
[[ -n $(command -v go) ]] || { echo "screenshot.sh: go is not installed" >&2; exit 1; }

work=$(mktemp -d)
unset TMUX TMUX_PANE
export TMUX_TMPDIR="$work"
tmux_() { tmux -u -f "$work/tmux.conf" -L dockdoc-shot "$@"; }
cleanup() {
	tmux_ kill-server >"$work/kill.log" 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
: >"$work/tmux.conf"

go build -o "$work/dockdoc" .

# The pane, once the doctor shows the diff.
capture() { tmux_ capture-pane -p -t shot; }
wait_for() { # TEXT...: polls the pane for 10 s until it shows every TEXT
	local i pane text ok
	for ((i = 0; i < 200; i++)); do
		pane=$(capture)
		ok=1
		for text in "$@"; do
			[[ $pane == *"$text"* ]] || ok=0
		done
		if ((ok)); then
			return 0
		fi
		sleep 0.05
	done
	echo "screenshot.sh: timed out waiting for: $*; the pane shows:" >&2
	capture >&2
	return 1
}

# dockdoc demo copies its sample project to $TMPDIR/dockdoc-demo-<random>
# and shows that path. A relative TMPDIR keeps the path short, and the
# random number is replaced by a fixed one of the same length so the
# picture only changes when dockdoc's screen does; a run whose number has
# fewer than 10 digits (about one in four) is simply tried again.
shot=""
for ((attempt = 1; attempt <= 20; attempt++)); do
	run="$work/run$attempt"
	mkdir -p "$run/home"
	inner="cd $(printf %q "$run") && env NO_COLOR=1 HOME=$(printf %q "$run/home") XDG_CONFIG_HOME=$(printf %q "$run/home") TMPDIR=. $(printf %q "$work/dockdoc") demo; sleep 60"
	tmux_ new-session -d -s shot -x 100 -y 30 "$inner"
	wait_for "Findings (" "Demo: a sample project"
	# j j: the third finding (DD001, pin the base image); space: its safe
	# fix on; j j j: DD025 (pin uv); space: its unsafe fix on; d: the diff.
	for key in j j Space j j j Space d; do
		tmux_ send-keys -t shot "$key"
		sleep 0.15
	done
	wait_for "fixes on: 2" "[Diff]" "+++ "
	sleep 0.3
	pane=$(capture)
	tmux_ kill-session -t shot
	if [[ $pane =~ dockdoc-demo-[0-9]{10}[^0-9] ]]; then
		shot=$pane
		break
	fi
done
if [[ -z $shot ]]; then
	echo "screenshot.sh: no run gave a 10-digit demo directory name" >&2
	exit 1
fi

mkdir -p docs
# Trailing blank lines of the pane go; everything else is as tmux saw it.
printf '%s\n' "$shot" | sed -E 's/dockdoc-demo-[0-9]{10}/dockdoc-demo-1234567890/g' |
	awk '{ lines[NR] = $0 } END { n = NR; while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i] }' \
		>docs/screenshot.txt

# README.md: replace what is between the markers with the picture.
grep -q '^<!-- screenshot:start' README.md && grep -q '^<!-- screenshot:end' README.md || {
	echo "screenshot.sh: README.md lacks the <!-- screenshot:start --> / <!-- screenshot:end --> markers" >&2
	exit 1
}
awk -v shot=docs/screenshot.txt '
	/^<!-- screenshot:start/ {
		print
		print "```text"
		while ((getline line < shot) > 0) print line
		print "```"
		skip = 1
		next
	}
	/^<!-- screenshot:end/ { skip = 0 }
	!skip { print }
' README.md >"$work/README.md"
cat "$work/README.md" >README.md
echo "wrote docs/screenshot.txt and updated README.md"
