# integration/cli: the runc command line as clients use it: spec, list
# (table and json), features, --version, --log/--log-format json, and
# runc's errors and exit codes for an unknown id, a duplicate id, an
# invalid id, a container that is not running, and bad bundles, each
# leaving nothing behind.
. "$(dirname "$0")/../lib/common.sh"

t_spec()
{
	local d=$TEST_TMP/spec
	mkdir -p "$d"
	(cd "$d" && "$KURA" spec) || fail "kura spec"
	jq -e '.ociVersion and .process.args and .root.path == "rootfs"
		and (.linux.namespaces | map(.type) | index("pid") and index("mount"))' \
		"$d/config.json" >/dev/null || fail "spec config: $(cat "$d/config.json")"
	# A second spec refuses to overwrite, as runc does.
	(cd "$d" && "$KURA" spec) 2>"$TEST_TMP/err" && fail "spec overwrote config.json"
	assert_contains "$(cat "$TEST_TMP/err")" "config.json"
	"$KURA" spec --rootless --bundle "$d/rl" 2>/dev/null || { mkdir -p "$d/rl" && "$KURA" spec --rootless --bundle "$d/rl"; } ||
		fail "spec --rootless --bundle"
	jq -e '.linux.namespaces | map(.type) | index("user")' "$d/rl/config.json" >/dev/null ||
		fail "rootless spec has no user namespace"
	# What kura spec writes, kura runs.
	new_bundle b true
	cp "$d/config.json" "$B/config.json"
	edit '.process.terminal = false | .process.args = ["true"]'
	kr run --bundle "$B" c1
	assert_ok "run of the spec config"
}

t_list()
{
	# One bundle each: a bundle's cgroupsPath is its own.
	new_bundle b1 sleep 1000
	k create --bundle "$B" c1 || fail "create c1"
	new_bundle b2 sleep 1000
	k run -d --bundle "$B" c2 || fail "run c2"
	kr list
	assert_ok list
	assert_match "$(head -1 <<<"$OUT")" '^ID +PID +STATUS +BUNDLE +CREATED +OWNER' "table header"
	assert_match "$(grep '^c1 ' <<<"$OUT")" "^c1 +[0-9]+ +created +$TEST_TMP/b1 " "c1 row"
	assert_match "$(grep '^c2 ' <<<"$OUT")" "^c2 +[0-9]+ +running +$B " "c2 row"
	kr list --format json
	assert_ok "list --format json"
	assert_eq "$(jq -r 'map(.id) | sort | join(",")' <<<"$OUT")" c1,c2 "ids"
	assert_eq "$(jq -r '.[] | select(.id == "c2") | .status' <<<"$OUT")" running
	assert_eq "$(jq -r '.[] | select(.id == "c1") | .bundle' <<<"$OUT")" "$TEST_TMP/b1"
	kr list -q
	assert_eq "$(sort <<<"$OUT" | tr '\n' ' ')" "c1 c2 " "list -q"
	k delete --force c1
	k delete --force c2
	kr list --format json
	assert_eq "$(jq length <<<"$OUT")" 0 "empty list"
}

t_features_version()
{
	kr features
	assert_ok features
	jq -e '.ociVersionMin and .ociVersionMax and (.hooks | length == 6)
		and (.linux.namespaces | index("user")) and .linux.cgroup
		and (.linux.seccomp.enabled == true) and (.mountOptions | index("rbind"))' \
		<<<"$OUT" >/dev/null || fail "features: $OUT"
	kr --version
	assert_ok --version
	assert_match "$(head -1 <<<"$OUT")" '^kura version [0-9]' "version line"
	assert_contains "$OUT" "spec: 1." "the spec version"
}

t_errors_and_codes()
{
	kr state nope
	assert_rc 1 "state of an unknown id"
	assert_contains "$ERR" 'container "nope" does not exist'
	kr kill nope
	assert_rc 1 "kill of an unknown id"
	assert_contains "$ERR" "does not exist"
	kr delete nope
	assert_rc 1 "delete of an unknown id"
	kr delete --force nope
	assert_ok "delete --force of an unknown id (runc succeeds)"
	kr start nope
	assert_rc 1 "start of an unknown id"
	new_bundle b sleep 1000
	kr create --bundle "$B" "bad/id"
	assert_rc 1 "an invalid id"
	assert_contains "$ERR" "invalid"
	kr create --bundle "$B" c1
	assert_ok create
	kr create --bundle "$B" c1
	assert_rc 1 "a duplicate id"
	assert_contains "$ERR" "already exists"
	assert_eq "$(state_of c1)" created "the first c1 is untouched"
	kr delete c1
	assert_ok "delete of a created container"
	new_bundle b2 true
	k run --bundle "$B" c2 || fail "run c2"
	k create --bundle "$B" c3 && k start c3 && wait_status c3 stopped
	kr kill c3 TERM
	assert_rc 1 "kill of a stopped container"
	assert_contains "$ERR" "not running"
	kr kill c3 NOSUCHSIG
	assert_fails "an unknown signal"
	k delete c3 || fail "delete c3"
}

t_kill_signals()
{
	new_bundle b sh -c 'trap "echo got_usr1 >/ctl/sig" USR1; trap "echo got_hup >>/ctl/sig" HUP;
		touch /ctl/ready; while :; do sleep 0.05; done'
	add_ctl
	k run -d --bundle "$B" c1 || fail "run -d"
	wait_file "$CTL/ready"
	kr kill c1 SIGUSR1
	assert_ok "kill SIGUSR1"
	wait_until 5 grep -q got_usr1 "$CTL/sig" || fail "SIGUSR1 did not arrive"
	kr kill c1 1
	assert_ok "kill 1"
	wait_until 5 grep -q got_hup "$CTL/sig" || fail "signal 1 (HUP) did not arrive"
	kr kill c1 KILL
	assert_ok "kill KILL"
	wait_status c1 stopped
}

t_log_json()
{
	local log=$TEST_TMP/kura.log
	new_bundle b true
	edit '.process.args = []'
	KURA_TEST_TAG=$TEST_TAG "$KURA" --root "$ROOT" --log "$log" --log-format json \
		create --bundle "$B" c1 2>"$TEST_TMP/err" && fail "create with empty args succeeded"
	[ -s "$log" ] || fail "nothing in the --log file"
	jq -e 'select(.level == "error") | .msg and .time' "$log" >/dev/null ||
		fail "no JSON error line: $(cat "$log")"
	assert_contains "$(jq -r 'select(.level == "error") | .msg' "$log")" "process.args"
	[ ! -e "$ROOT/c1" ] || fail "state dir left"
}

t_bad_bundles()
{
	new_bundle b true
	printf '{"ociVersion": "1.0.2", "process": ' >"$B/config.json"
	kr create --bundle "$B" c1
	assert_rc 1 "invalid JSON"
	assert_eq "$(grep -c . <<<"$ERR")" 1 "one error line"
	assert_contains "$ERR" "config.json"
	new_bundle b true
	edit '.ociVersion = "2.0.0"'
	kr create --bundle "$B" c1
	assert_fails "ociVersion 2.0.0"
	assert_contains "$ERR" "ociVersion"
	new_bundle b true
	edit '.process.user.uid = "root"'
	kr create --bundle "$B" c1
	assert_fails "a string uid"
	assert_contains "$ERR" "process.user.uid"
	new_bundle b true
	rm -rf "$B/rootfs"
	kr create --bundle "$B" c1
	assert_fails "a missing rootfs"
	assert_contains "$ERR" "root.path"
	kr create --bundle "$TEST_TMP/no-such-bundle" c1
	assert_fails "a missing bundle"
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || fail "left under --root: $(ls -A "$ROOT")"
}

run_test "spec writes a config kura runs" t_spec
run_test "list: table, json, -q" t_list
run_test "features and --version" t_features_version
run_test "runc's errors and exit codes" t_errors_and_codes
run_test "kill by name and number" t_kill_signals
run_test "--log --log-format json carries the error" t_log_json
run_test "bad bundles: one line naming the field, nothing left" t_bad_bundles
finish
