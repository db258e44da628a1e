# tests/lib/clients.sh: helpers for tests/clients/*.sh, the suites that
# drive kura through real clients (podman + conmon, containerd's runc shim).
# Source it after tests/lib/common.sh.
#
#   cl_need_packages CMD=PKG...  apt-get install what is missing (once)
#   cl_own_cgroup                our cgroup path (memory hierarchy first)
#   cl_rootfs_tar FILE           busybox rootfs (mkbundle's) as a tar
#   cl_scenario DESC FN          run FN twice: with runc (the control)
#                                and with kura; FN gets the runtime path
#                                in $RT and its name in $RT_NAME
#   cl_summary                   table of scenario x runtime results
#   cl_on_teardown CMD           run CMD when the file ends (any way)
#
# Every scenario runs first with runc as the control, then with kura.
# When the control fails, the scenario is a host or client problem, not
# kura's: the runc line is then reported "# SKIP control failed" (with
# its reason), and kura's failure of the same scenario is a SKIP too.
# Set CL_STRICT_CONTROL=1 to count control failures as failures,
# CL_RUNTIMES="kura" (or "runc") to run one side only, and CL_ONLY to an
# extended regex of scenario function names to run only those.

# What these clients expect of the runtime beyond the runtime spec (seen
# with podman 4.3.1, conmon 2.1.6, containerd 1.6.20 and runc 1.1.5):
#
# podman + conmon
# - The runtime is named by the basename of --runtime; when that name is in
#   containers.conf runtime_supports_json, podman/conmon put
#   `--log-format=json --log <userdata>/oci-log` before the verb of create
#   and exec and report the "msg" of the last JSON line on failure.
# - create: `create --bundle B --pid-file P [--console-socket S] ID` run by
#   conmon (a child subreaper); start: `start ID` run by podman later.  The
#   init must stay a descendant of conmon, which reaps it and writes the exit
#   code: the runtime must not wait for or reap it.
# - A process.args[0] that cannot be executed must fail *create* (not start)
#   with an error podman matches, case-insensitively: "no such file or
#   directory" / "executable file not found in" give exit 127, "permission
#   denied" / "operation not permitted" 126 (so does any create error with
#   those words).  runc checks args[0] in its init before waiting for start.
# - exec: `exec --process F --detach --pid-file P [--tty --console-socket S]
#   ID`; conmon reaps the exec'd process for its exit code; the runtime's own
#   exit status only says whether the process started.
# - stop: `kill ID 15`, after the stop timeout `kill ID 9`; with --pid host
#   (no pid namespace of its own) `kill --all ID SIG`; then `delete --force
#   ID` from `podman container cleanup` (conmon's exit command).  rm -f of a
#   running container stops it the same way first.
# - podman reads a stop's `kill` stderr: lines with "container not
#   running", "open pidfd: No such process" or "kill container: No such
#   process" are taken as "already stopped" and not shown.  When a kill
#   fails it runs `RUNTIME state ID` (without --runtime-flag options) and
#   takes "does not exist" / "No such file" in its error as "exited".
# - pause/unpause: `pause ID` / `resume ID`.  podman 4.3 runs `state` in
#   none of these scenarios (not even for `ps --sync`, which reads conmon's
#   exit file): the container's status is podman's own record.
# - --pid/--ipc/--uts/--network container:NAME and pods give namespace
#   paths (/proc/PID/ns/*) of the other container's init.
# - --cgroups=disabled: podman 4.3 refused it for kura ("not compatible
#   with NoCgroups") even with kura in runtime_supports_nocgroups, by path
#   or as a named [engine.runtimes] entry; crun passes that check.  Not
#   tested.
# - update: `update --resources=FILE ID`, FILE a LinuxResources JSON in
#   /var/tmp (not runc's --memory style flags).
# - checkpoint: podman first asks criu for its version ("checkpoint/restore
#   requires at least CRIU 31100" when criu is missing), then runs `RUNTIME
#   checkpoint --help`: exit 0 means "supported".  A runtime without it must
#   exit non-zero; podman then says "configured runtime does not support
#   checkpoint/restore" and leaves the container running.
# - cgroupfs manager: cgroupsPath is the absolute "<cgroup-parent>/libpod-ID";
#   conmon sits in "<cgroup-parent>/conmon".  podman stats and conmon's OOM
#   watch read that path (every v1 hierarchy) themselves, not via the runtime.
# - As root podman passes no --root: the runtime uses its default
#   (/run/kura, /run/runc).  --runtime-flag root=... is not passed on to the
#   exit command, so `delete --force` would run against another root.
# - --init bind-mounts catatonit at /run/podman-init and makes it args[0];
#   --read-only adds tmpfs /tmp, /var/tmp, /run.
# - podman --log-level=debug makes conmon log to syslog; with no /dev/log on
#   these hosts every run then waits 20 s for the exit file: do not time runs
#   with it.  Any --ulimit replaces default_ulimits and podman then asks for
#   an nproc above this host's hard limit: give nproc too.
#
# containerd 1.6 runc shim (io.containerd.runc.v2, ctr run --runc-binary)
# - Every call carries `--root <runc-root>/<namespace> --log B/log.json
#   --log-format json`; errors are read from log.json's last "msg".
# - create --bundle B --pid-file B/init.pid [--console-socket S] ID; start;
#   exec --process /tmp/runc-processN --detach --pid-file B/<exec>.pid
#   [--console-socket S]; ps --format json (a JSON array of host pids);
#   checkpoint --image-path DIR --work-path DIR ID for `ctr task checkpoint`
#   (its error text reaches ctr's message).
# - ctr run --uidmap/--gidmap drops --runc-binary and --runc-root: such a
#   task runs with runc from $PATH under /run/containerd/runc/NS, whatever
#   was asked.
#   kill ID SIG (a number); kill --all ID 9 on forced delete, also after the
#   init has died (runc then exits 0); delete ID, then delete --force ID.
# - The shim is a child subreaper and reaps init and exec'd processes; it
#   reads metrics and OOM events from the init's own cgroup
#   (/proc/PID/cgroup), not through the runtime.
# - ctr keeps its fifos in /run/containerd/fifo unless given --fifo-dir
#   (run, task exec, task start); the shim keeps its socket in
#   /run/containerd/s/<sha256 of "ADDRESS/NAMESPACE/ID"> whatever the
#   config says; ctr -t and task exec --tty want a terminal on ctr's stdin;
#   ctr now and then loses the stdout of a task that ends at once (runc
#   too).
#
CL_RUNC=${CL_RUNC:-$(command -v runc || echo /usr/sbin/runc)}
CL_RUNTIMES=${CL_RUNTIMES:-runc kura}
CL_STRICT_CONTROL=${CL_STRICT_CONTROL:-0}
CL_ONLY=${CL_ONLY:-}
CL_RESULTS=$TEST_TMP/.cl-results
: >"$CL_RESULTS"
_cl_teardown_cmds=()
# The TAP stream, for the control's log (run_test captures the body's).
exec {CL_TAP_FD}>&1

# ------------------------------------------------------------- packages

# cl_need_packages CMD=PKG...: install PKG when CMD is missing.  A
# CMD with a slash is checked as a path.
cl_need_packages()
{
	local want=() cp c p
	for cp in "$@"; do
		c=${cp%%=*}
		p=${cp#*=}
		if [[ $c == */* ]]; then
			[ -e "$c" ] && continue
		else
			command -v "$c" >/dev/null && continue
		fi
		want+=("$p")
	done
	[ ${#want[@]} = 0 ] && return 0
	echo "# installing: ${want[*]}"
	command -v apt-get >/dev/null || return 1
	# Parallel suites: apt waits for dpkg's lock instead of failing.
	local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends)
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${want[@]}" >/dev/null 2>&1 ||
		{ apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 &&
			DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${want[@]}" >/dev/null 2>&1; }
}

# ------------------------------------------------------------- cgroups

# Our own cgroup path.  On these hybrid hosts we sit in a memory cgroup of
# our own and at / elsewhere: the memory path is the one to nest under
# (a cgroupfs-manager parent is the same path in every hierarchy).
cl_own_cgroup()
{
	local id ctrls path best=
	while IFS=: read -r id ctrls path; do
		case ",$ctrls," in
		*,memory,*) echo "${path%/}"; return ;;
		esac
		[ -z "$best" ] && [ "$path" != / ] && best=$path
	done </proc/self/cgroup
	echo "${best%/}"
}

# Every existing directory for cgroup path $1 (relative to the hierarchy
# roots) in every mounted hierarchy.
cl_cgroup_dirs()
{
	local m
	for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -e "$m/cgroup.procs" ] || continue
		[ -d "${m%/}$1" ] && echo "${m%/}$1"
	done
}

# Remove cgroup path $1 (and below) in every hierarchy; fails when some
# directory could not be removed (processes still inside).
cl_cgroup_remove()
{
	local d rc=0
	[ -n "$1" ] && [ "$1" != / ] || return 0
	for d in $(cl_cgroup_dirs "$1"); do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
		[ -d "$d" ] && rc=1
	done
	return $rc
}

# The cgroup v1 directory of pid $1 in controller $2 (memory, cpu, pids).
cl_pid_cgroup_dir()
{
	local path
	path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
	[ -n "$path" ] || return 1
	echo "/sys/fs/cgroup/$2${path%/}"
}

# A cgroupfs parent like "$(cl_own_cgroup)/X" is one path in every v1
# hierarchy, and the runtime creates its missing ancestors (here
# /process_api/ID in cpu, pids, ...; we only sit there in memory).
# cl_cgroup_note_ancestors PATH records which ancestors of PATH are
# missing now; cl_cgroup_remove_ancestors removes those again (when empty).
_cl_cg_missing=()
cl_cgroup_note_ancestors()
{
	local m p=$1
	while p=${p%/*}; [ -n "$p" ]; do
		for m in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
			[ -e "$m/cgroup.procs" ] || continue
			[ -d "${m%/}$p" ] || _cl_cg_missing+=("${m%/}$p")
		done
	done
}

cl_cgroup_remove_ancestors()
{
	local d
	# Recorded deepest first.
	for d in "${_cl_cg_missing[@]}"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	return 0
}

# ------------------------------------------------------------- images

# cl_rootfs_tar FILE: the busybox rootfs of mkbundle as an uncompressed tar.
cl_rootfs_tar()
{
	local src
	src=$(mkbundle_rootfs) || return 1
	tar -C "$src" --numeric-owner -cf "$1" .
}

# cl_oci_layout_tar DIR FILE NAME: an OCI image layout (one layer, the
# busybox rootfs) packed as a tar that `ctr image import` reads; the
# image is named NAME (org.opencontainers.image.ref.name).
cl_oci_layout_tar()
{
	local d=$1 out=$2 name=$3 layer diffid lsz lsum cfg csum csz man msum msz
	rm -rf "$d" && mkdir -p "$d/blobs/sha256" || return 1
	cl_rootfs_tar "$d/layer.tar" || return 1
	diffid=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
	gzip -n -1 "$d/layer.tar" || return 1
	lsum=$(sha256sum "$d/layer.tar.gz" | cut -d' ' -f1)
	lsz=$(stat -c %s "$d/layer.tar.gz")
	mv "$d/layer.tar.gz" "$d/blobs/sha256/$lsum"
	cfg=$(jq -nc --arg diff "sha256:$diffid" '{
		architecture: "amd64", os: "linux",
		config: {Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["/bin/sh"]},
		rootfs: {type: "layers", diff_ids: [$diff]},
		history: [{created_by: "kura tests/lib/clients.sh"}]}')
	printf %s "$cfg" >"$d/cfg"
	csum=$(sha256sum "$d/cfg" | cut -d' ' -f1)
	csz=$(stat -c %s "$d/cfg")
	mv "$d/cfg" "$d/blobs/sha256/$csum"
	man=$(jq -nc --arg c "sha256:$csum" --argjson cs "$csz" --arg l "sha256:$lsum" --argjson ls "$lsz" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]}')
	printf %s "$man" >"$d/man"
	msum=$(sha256sum "$d/man" | cut -d' ' -f1)
	msz=$(stat -c %s "$d/man")
	mv "$d/man" "$d/blobs/sha256/$msum"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	jq -nc --arg m "sha256:$msum" --argjson ms "$msz" --arg n "$name" '{
		schemaVersion: 2,
		manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
			digest: $m, size: $ms,
			platform: {architecture: "amd64", os: "linux"},
			annotations: {"org.opencontainers.image.ref.name": $n}}]}' >"$d/index.json"
	tar -C "$d" -cf "$out" oci-layout index.json blobs
}

# ------------------------------------------------------------- teardown

cl_on_teardown()
{
	_cl_teardown_cmds+=("$*")
}

# A teardown step that fails (it found something left, or could not
# remove it) fails the file: counted like a leaked object.
_cl_teardown()
{
	local i
	for ((i = ${#_cl_teardown_cmds[@]} - 1; i >= 0; i--)); do
		if ! eval "${_cl_teardown_cmds[$i]}"; then
			echo "# teardown step failed: ${_cl_teardown_cmds[$i]}"
			_n_fail=$((_n_fail + 1))
		fi
	done
	_cl_teardown_cmds=()
	cl_cgroup_remove_ancestors
}

# Chain our teardown in front of common.sh's _cleanup (the EXIT trap).
eval "_cl_common_cleanup() $(declare -f _cleanup | tail -n +2)"
_cleanup()
{
	_cl_teardown
	_cl_common_cleanup
}

# ------------------------------------------------------------- scenarios

# Run FN with RT/RT_NAME set; turn a failure into a SKIP when it is the
# control's, or when the control failed this scenario too.
_cl_body()
{
	local rtname=$1 fn=$2 rc why
	RT_NAME=$rtname
	case $rtname in
	kura) RT=$KURA ;;
	runc) RT=$CL_RUNC ;;
	*) RT=$rtname ;;
	esac
	export RT RT_NAME
	( "$fn" ) >"$TEST_TMP/.cl-last" 2>&1
	rc=$?
	# The suite's own cleanup, pass or fail; a leak fails the scenario.
	if [ -n "${CL_AFTER_SCENARIO:-}" ]; then
		if ! $CL_AFTER_SCENARIO >>"$TEST_TMP/.cl-last" 2>&1; then
			echo "FAIL: left behind by the scenario (see LEAK lines)" >>"$TEST_TMP/.cl-last"
			[ "$rc" = 0 ] || [ "$rc" = 77 ] && rc=1
		fi
	fi
	cat "$TEST_TMP/.cl-last"
	[ "$rc" = 0 ] || [ "$rc" = 77 ] || {
		why=$(sed -n '/^FAIL: /,$p' "$TEST_TMP/.cl-last" | head -5 | tr '\n' ' ' | cut -c7-300)
		if [ "$rtname" = runc ] && [ "$CL_STRICT_CONTROL" != 1 ]; then
			touch "$TEST_TMP/.cl-control-failed.$fn"
			# The control's log goes to the TAP stream as comments.
			sed 's/^/#   control: /' "$TEST_TMP/.cl-last" >&$CL_TAP_FD
			echo "SKIP: control failed with runc (host/client problem): $why"
			exit 77
		fi
		if [ "$rtname" != runc ] && [ -e "$TEST_TMP/.cl-control-failed.$fn" ]; then
			echo "SKIP: fails with runc too (host/client problem): $why"
			exit 77
		fi
	}
	exit "$rc"
}

# cl_scenario DESC FN
cl_scenario()
{
	local desc=$1 fn=$2 rt p f s res
	[ -z "$CL_ONLY" ] || [[ $fn =~ ^($CL_ONLY)$ ]] || return 0
	for rt in $CL_RUNTIMES; do
		p=$_n_pass f=$_n_fail s=$_n_skip
		run_test "$rt: $desc" _cl_body "$rt" "$fn"
		if [ "$_n_fail" != "$f" ]; then
			res=FAIL
		elif [ "$_n_skip" != "$s" ]; then
			res=SKIP
		else
			res=pass
		fi
		printf '%s\t%s\t%s\n' "$fn" "$rt" "$res" >>"$CL_RESULTS"
	done
}

cl_summary()
{
	local fn rt res
	echo "# scenario results (runc is the control):"
	awk -F'\t' '{ r[$1 FS $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
		END { printf "#   %-28s %-6s %-6s\n", "scenario", "runc", "kura";
		      for (i = 0; i < n; i++) { f = order[i]
		        printf "#   %-28s %-6s %-6s\n", f, (f FS "runc") in r ? r[f FS "runc"] : "-", (f FS "kura") in r ? r[f FS "kura"] : "-" } }' "$CL_RESULTS"
}

# Retry CMD for up to $1 seconds (used for output that lags, like logs).
cl_retry()
{
	wait_until "$@"
}

# ------------------------------------------------------------- podman
#
# cl_podman_init: private containers.conf, storage.conf and registries.conf
# under $PM_DIR, the busybox image imported as $PM_IMG, and a cgroup
# parent ($PM_CGPARENT) below our own cgroup, named after the test tag so
# that common.sh's leak check finds it.  pm runs podman with --runtime
# "$RT"; pmr captures like kr (RC, OUT, ERR); PM_RUN holds the options
# every run/create gets.  The OCI runtime keeps its default --root
# (/run/kura, /run/runc): podman's exit command (`podman container
# cleanup`, run by conmon) does not carry --runtime-flag, so a private
# runtime root would leak state; pm_cleanup checks /run/$RT_NAME instead.

PM_IMG=localhost/kura-busybox:latest

cl_podman_init()
{
	local d
	PM_DIR=$TEST_TMP/podman
	mkdir -p "$PM_DIR"/{net,tmp,volumes,storage,run} || return 1
	cat >"$PM_DIR/containers.conf" <<-EOC
		[containers]
		netns = "none"
		default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
		init_path = "$(command -v catatonit || echo /usr/bin/catatonit)"
		log_driver = "k8s-file"
		[network]
		network_config_dir = "$PM_DIR/net"
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$PM_DIR/events.log"
		tmp_dir = "$PM_DIR/tmp"
		static_dir = "$PM_DIR/storage/libpod"
		volume_path = "$PM_DIR/volumes"
		runtime_supports_json = ["crun", "runc", "kura"]
		runtime_supports_nocgroups = ["crun", "kura"]
	EOC
	cat >"$PM_DIR/storage.conf" <<-EOC
		[storage]
		driver = "overlay"
		graphroot = "$PM_DIR/storage"
		runroot = "$PM_DIR/run"
	EOC
	echo 'unqualified-search-registries = []' >"$PM_DIR/registries.conf"
	export CONTAINERS_CONF=$PM_DIR/containers.conf
	export CONTAINERS_STORAGE_CONF=$PM_DIR/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$PM_DIR/registries.conf
	# The runtimes' default roots, removed at the end if we made them.
	PM_RUN_DIRS=
	for d in /run/kura /run/runc; do
		[ -e "$d" ] || PM_RUN_DIRS="$d $PM_RUN_DIRS"
	done
	PM_CGPARENT=$(cl_own_cgroup)/$TEST_TAG-podman
	cl_cgroup_note_ancestors "$PM_CGPARENT"
	PM_RUN=(--cgroup-parent "$PM_CGPARENT" -e "KURA_TEST_TAG=$TEST_TAG")
	cl_rootfs_tar "$PM_DIR/rootfs.tar" || return 1
	podman import -q "$PM_DIR/rootfs.tar" "$PM_IMG" >/dev/null || return 1
	rm -f "$PM_DIR/rootfs.tar"
	cl_on_teardown pm_teardown
}

pm()
{
	timeout -k 5 "${PM_TIMEOUT:-60}" podman --runtime "$RT" "$@"
}

pmr()
{
	local o=$TEST_TMP/.pm.$BASHPID.out e=$TEST_TMP/.pm.$BASHPID.err
	pm "$@" >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(<"$o")
	ERR=$(<"$e")
	rm -f "$o" "$e"
	return 0
}

# pm_run ARGS...: podman run with PM_RUN, captured (RC, OUT, ERR).
pm_run()
{
	pmr run "${PM_RUN[@]}" "$@"
}

# Processes that belong to this podman setup (conmon, cleanup commands):
# their command line names $PM_DIR.
pm_pids()
{
	local f p
	for f in $(grep -lsF -- "$PM_DIR/" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/cmdline}
		pid_alive "$p" && echo "$p"
	done
}

_pm_quiet()
{
	[ -z "$(pm_pids)" ]
}

pm_mounts()
{
	awk -v a="$PM_DIR/" 'index($5 "/", a) == 1 {print $5}' /proc/self/mountinfo
}

# pm_state PID-OR-NAME: podman's status (running, exited, paused, ...)
pm_status()
{
	pm inspect --format '{{.State.Status}}' "$1" 2>/dev/null
}

_pm_status_is()
{
	[ "$(pm_status "$1")" = "$2" ]
}

pm_wait_status()
{
	wait_until "${3:-15}" _pm_status_is "$1" "$2" ||
		fail "podman container $1 did not reach $2 (now: '$(pm_status "$1")')"
}

# The host pid of a running container's init.
pm_pid()
{
	pm inspect --format '{{.State.Pid}}' "$1"
}

# After every scenario (pass or fail): remove every container, wait for
# conmon and podman's cleanup processes, and check that nothing is left:
# no container, process, mount, runtime state or cgroup.  Prints one line
# per leak and returns 1 when something was left.
pm_cleanup()
{
	local id bad=0 d
	[ -n "${PM_DIR:-}" ] || return 0
	pm rm -af -t 0 >/dev/null 2>&1
	wait_until 10 _pm_quiet || true
	if [ -n "$(pm ps -aq 2>/dev/null)" ]; then
		echo "LEAK: podman containers left: $(pm ps -a 2>&1)"
		bad=1
		# Force them out with the runtime, then podman.
		for id in $(pm ps -aq --no-trunc 2>/dev/null); do
			"$RT" delete --force "$id" >/dev/null 2>&1
		done
		pm rm -af -t 0 >/dev/null 2>&1
	fi
	for p in $(pm_pids) $(_tagged_pids); do
		echo "LEAK: process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-200)"
		bad=1
		kill -KILL "$p" 2>/dev/null
	done
	wait_until 5 _no_tagged_pids || true
	# Every container our podman ever made (its events log: a --rm one is
	# forgotten at once) must have left no runtime state.
	for id in $(jq -r 'select(.Type == "container" and .Status == "create") | .ID' \
		"$PM_DIR/events.log" 2>/dev/null | sort -u); do
		for d in /run/kura /run/runc; do
			[ -e "$d/$id" ] || continue
			echo "LEAK: runtime state $d/$id"
			bad=1
			"$RT" --root "$d" delete --force "$id" >/dev/null 2>&1
			rm -rf "${d:?}/$id"
		done
	done
	for d in $(pm_mounts | sort -r); do
		echo "LEAK: mount $d"
		bad=1
		umount -l "$d" 2>/dev/null
	done
	if ! cl_cgroup_remove "$PM_CGPARENT"; then
		echo "LEAK: cgroup $PM_CGPARENT cannot be removed; pids in it: $(find $(cl_cgroup_dirs "$PM_CGPARENT") -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | tr '\n' ' ')"
		bad=1
	fi
	return $bad
}

# At the end of the file: images, storage, and the check that all is gone.
# Returns 1 (the file fails) when anything had to be swept up or is left.
pm_teardown()
{
	local m bad=0
	[ -n "${PM_DIR:-}" ] || return 0
	RT=${RT:-$CL_RUNC}
	pm_cleanup || bad=1
	podman rmi -af >/dev/null 2>&1
	for m in $(pm_mounts | sort -r); do
		echo "# leftover mount $m"
		bad=1
		umount -l "$m"
	done
	if [ -n "$(pm_mounts)" ]; then
		echo "# mounts under $PM_DIR cannot be removed: $(pm_mounts | tr '\n' ' ')"
		return 1
	fi
	cl_cgroup_remove "$PM_CGPARENT" || { echo "# cgroup $PM_CGPARENT left"; bad=1; }
	[ -z "$(cl_cgroup_dirs "$PM_CGPARENT")" ] || { echo "# cgroup $PM_CGPARENT still there"; bad=1; }
	for m in $PM_RUN_DIRS; do
		rmdir "$m" 2>/dev/null
		[ ! -e "$m" ] || { echo "# $m left (not empty: $(ls "$m" | head -3 | tr '\n' ' '))"; bad=1; }
	done
	rm -rf --one-file-system "$PM_DIR"
	[ ! -e "$PM_DIR" ] || { echo "# $PM_DIR cannot be removed"; bad=1; }
	return $bad
}

# ------------------------------------------------------------- containerd
#
# cl_containerd_init: a private containerd (root, state, sockets under
# $CD_DIR, CRI plugin disabled) started in the background, the busybox
# image imported from an OCI layout tar as $CD_IMG into namespace $CD_NS.
# cd_ctr runs ctr against it; cd_run runs `ctr run` with the runc shim
# using $RT as its binary (--runc-binary) and a per-runtime --runc-root,
# and a cgroup below our own ($CD_CGPARENT/ID).  ctr's fifos go to
# $CD_DIR/fifo (--fifo-dir).  The shim itself keeps its socket in
# /run/containerd/s (hard-wired in containerd 1.6), named after our
# address, namespace and the task id: the teardown checks that none of
# ours is left there (cd_run records every id; so does cd_note_id).

# A namespace of our own: the shim's socket names and containerd's
# default runc root (/run/containerd/runc/NS) are per namespace.
CD_NS=kura-tests-$TEST_TAG
CD_IMG=localhost/kura-busybox:latest

cl_containerd_init()
{
	local d
	CD_DIR=$TEST_TMP/containerd
	CD_SOCK=$CD_DIR/containerd.sock
	mkdir -p "$CD_DIR"/{root,state,opt,runc-root} || return 1
	cat >"$CD_DIR/config.toml" <<-EOC
		version = 2
		root = "$CD_DIR/root"
		state = "$CD_DIR/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
		  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp",
		  "io.containerd.internal.v1.tracing"]
		[grpc]
		  address = "$CD_SOCK"
		[ttrpc]
		  address = "$CD_SOCK.ttrpc"
		[debug]
		  address = ""
		[metrics]
		  address = ""
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$CD_DIR/opt"
	EOC
	mkdir -p "$CD_DIR/fifo" && : >"$CD_DIR/ids" || return 1
	# The shim's socket dir is fixed in 1.6: removed at the end if we
	# made it and nobody else's sockets are in it.
	CD_RUN_DIRS=
	for d in /run/containerd /run/containerd/s /run/containerd/runc; do
		[ -e "$d" ] || CD_RUN_DIRS="$d $CD_RUN_DIRS"
	done
	CD_CGPARENT=$(cl_own_cgroup)/$TEST_TAG-ctrd
	cl_cgroup_note_ancestors "$CD_CGPARENT"
	containerd --config "$CD_DIR/config.toml" >"$CD_DIR/containerd.log" 2>&1 &
	CD_PID=$!
	cl_on_teardown cd_teardown
	wait_until 20 cd_ctr version >/dev/null 2>&1 ||
		{ echo "# containerd did not come up:"; tail -20 "$CD_DIR/containerd.log" | sed 's/^/#   /'; return 1; }
	cl_oci_layout_tar "$CD_DIR/img" "$CD_DIR/img.tar" "$CD_IMG" || return 1
	cd_ctr image import "$CD_DIR/img.tar" >/dev/null || return 1
	rm -rf "$CD_DIR/img" "$CD_DIR/img.tar"
	cd_ctr image ls -q | grep -qx "$CD_IMG" || { echo "# image $CD_IMG not imported"; return 1; }
}

# ctr against our containerd; run, task exec and task start get
# --fifo-dir $CD_DIR/fifo.
cd_ctr()
{
	local sub=()
	case "$1 ${2:-}" in
	"run "*)
		sub=(run --fifo-dir "$CD_DIR/fifo")
		shift
		;;
	"task exec" | "task start")
		sub=(task "$2" --fifo-dir "$CD_DIR/fifo")
		shift 2
		;;
	esac
	timeout -k 5 "${CD_TIMEOUT:-60}" ctr --address "$CD_SOCK" --namespace "$CD_NS" "${sub[@]}" "$@"
}

# Record a task id whose shim socket the teardown checks for.
cd_note_id()
{
	echo "$1" >>"$CD_DIR/ids"
}

# The shim socket of task $1 of our containerd.
cd_shim_socket()
{
	echo "/run/containerd/s/$(printf '%s' "$CD_SOCK/$CD_NS/$1" | sha256sum | cut -d' ' -f1)"
}

cd_ctrr()
{
	local o=$TEST_TMP/.cd.$BASHPID.out e=$TEST_TMP/.cd.$BASHPID.err
	cd_ctr "$@" >"$o" 2>"$e" </dev/null
	RC=$?
	OUT=$(<"$o")
	ERR=$(<"$e")
	rm -f "$o" "$e"
	[ "$RC" -lt 124 ] || cd_hang_report "ctr $1 ${2:-}" >&2
	return 0
}

# What was running when a ctr call hung: the shims and runtimes below our
# containerd, where they wait, and the end of containerd's log.
cd_hang_report()
{
	local p
	echo "# $1 hung (exit $RC); processes of this containerd:"
	for p in $(cd_pids) $(_tagged_pids); do
		ps -o pid=,ppid=,stat=,wchan:24=,args= -p "$p" 2>/dev/null | cut -c1-220 | sed 's/^/#   /'
	done
	for p in $(pgrep -f -- "--root $CD_DIR/runc-root/" 2>/dev/null); do
		echo "#   runtime $p: $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-200) wchan=$(cat "/proc/$p/wchan" 2>/dev/null)"
		cat "/proc/$p/stack" 2>/dev/null | head -8 | sed 's/^/#     /'
	done
	echo "# containerd.log:"
	tail -15 "$CD_DIR/containerd.log" | cut -c1-300 | sed 's/^/#   /'
}

# cd_run [RUN-OPTIONS...] -- ID [CMD...]: ctr run of $CD_IMG with $RT.
cd_run()
{
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	local id=$1
	shift
	cd_note_id "$id"
	cd_ctrr run --runc-binary "$RT" --runc-root "$CD_DIR/runc-root/$RT_NAME" \
		--cgroup "$CD_CGPARENT/$id" --env "KURA_TEST_TAG=$TEST_TAG" \
		"${opts[@]}" "$CD_IMG" "$id" "$@"
}

# cd_run_out [RUN-OPTIONS...] -- ID CMD...: cd_run --rm of a task whose
# stdout is checked.  ctr 1.6 now and then loses the whole stdout of a
# task that ends at once (rare; seen with runc too): an
# empty stdout gets one more try, noted in the log.
cd_run_out()
{
	local pre=() id
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pre+=("$1")
		shift
	done
	shift
	id=$1
	shift
	cd_run --rm "${pre[@]}" -- "$id" "$@"
	if [ -z "$OUT" ] && [ "$RC" -lt 124 ]; then
		diag "ctr run $id: empty stdout (rc $RC, stderr: $ERR), one more try"
		cd_run --rm "${pre[@]}" -- "${id}b" "$@"
	fi
}

cd_pids()
{
	local f p
	for f in $(grep -lsF -- "$CD_DIR/" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/cmdline}
		[ "$p" = "${CD_PID:-x}" ] && continue
		pid_alive "$p" && echo "$p"
	done
}

# Shim processes: their command line names our socket.
_cd_no_shims()
{
	[ -z "$(cd_pids)" ]
}

cd_task_status()
{
	cd_ctr task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}'
}

_cd_status_is()
{
	[ "$(cd_task_status "$1")" = "$2" ]
}

cd_wait_status()
{
	wait_until "${3:-15}" _cd_status_is "$1" "$2" ||
		fail "task $1 did not reach $2 (now: '$(cd_task_status "$1")')"
}

# After every scenario: kill and remove every task and container, and
# check that no shim, mount, runtime state or cgroup is left.
cd_cleanup()
{
	local id bad=0 d
	[ -n "${CD_DIR:-}" ] || return 0
	# Tasks and containers a scenario left (a failed one leaves some) are
	# removed through containerd; what that leaves behind is a leak.
	for id in $(cd_ctr task ls -q 2>/dev/null); do
		cd_ctr task kill -s SIGKILL "$id" >/dev/null 2>&1
		cd_ctr task rm -f "$id" >/dev/null 2>&1
	done
	for id in $(cd_ctr container ls -q 2>/dev/null); do
		cd_ctr task rm -f "$id" >/dev/null 2>&1
		cd_ctr container rm "$id" >/dev/null 2>&1
	done
	for id in $(cd_ctr container ls -q 2>/dev/null); do
		echo "LEAK: container $id cannot be removed: $(cd_ctr container rm "$id" 2>&1)"
		bad=1
	done
	wait_until 10 _cd_no_shims || true
	for p in $(cd_pids) $(_tagged_pids); do
		echo "LEAK: process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-200)"
		bad=1
		kill -KILL "$p" 2>/dev/null
	done
	wait_until 5 _no_tagged_pids || true
	for d in "$CD_DIR"/runc-root/*/*/*; do
		[ -e "$d" ] || continue
		echo "LEAK: runtime state $d"
		bad=1
		rm -rf "$d"
	done
	for d in $(awk -v a="$CD_DIR/" 'index($5 "/", a) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		echo "LEAK: mount $d"
		bad=1
		umount -l "$d" 2>/dev/null
	done
	if ! cl_cgroup_remove "$CD_CGPARENT"; then
		echo "LEAK: cgroup $CD_CGPARENT cannot be removed"
		bad=1
	fi
	return $bad
}

# Stop our containerd (by its pid) and check that nothing of it is left:
# process, shims, shim sockets, mounts, cgroups, state and root dirs.
cd_teardown()
{
	local s bad=0
	[ -n "${CD_DIR:-}" ] || return 0
	RT=${RT:-$CL_RUNC}
	RT_NAME=${RT_NAME:-runc}
	cd_cleanup || bad=1
	cd_ctr image rm "$CD_IMG" >/dev/null 2>&1
	if [ -n "${CD_PID:-}" ] && pid_alive "$CD_PID"; then
		kill -TERM "$CD_PID"
		if ! wait_until 10 _cd_daemon_gone; then
			echo "# containerd $CD_PID ignored SIGTERM for 10 s: killed"
			bad=1
			kill -KILL "$CD_PID"
		fi
		wait "$CD_PID" 2>/dev/null
	fi
	if [ -n "${CD_PID:-}" ] && pid_alive "$CD_PID"; then
		echo "# containerd $CD_PID is still running"
		bad=1
	fi
	for s in $(sort -u "$CD_DIR/ids" 2>/dev/null); do
		s=$(cd_shim_socket "$s")
		[ -e "$s" ] || continue
		echo "# shim socket left: $s"
		bad=1
		rm -f "$s"
	done
	for s in $(awk -v a="$CD_DIR/" 'index($5 "/", a) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		echo "# leftover mount $s"
		bad=1
		umount -l "$s"
	done
	cl_cgroup_remove "$CD_CGPARENT" || { echo "# cgroup $CD_CGPARENT left"; bad=1; }
	[ -z "$(cl_cgroup_dirs "$CD_CGPARENT")" ] || { echo "# cgroup $CD_CGPARENT still there"; bad=1; }
	# containerd's default runc root for our namespace (a task that lost
	# its --runc-root, as ctr --uidmap does): nothing may be left in it.
	if [ -d "/run/containerd/runc/$CD_NS" ]; then
		if [ -n "$(ls -A "/run/containerd/runc/$CD_NS")" ]; then
			echo "# runtime state left in /run/containerd/runc/$CD_NS: $(ls -A "/run/containerd/runc/$CD_NS" | head -3 | tr '\n' ' ')"
			bad=1
			rm -rf "/run/containerd/runc/${CD_NS:?}"
		fi
		rmdir "/run/containerd/runc/$CD_NS" 2>/dev/null
	fi
	# Others' sockets may be there (another containerd): not ours to judge.
	for s in $CD_RUN_DIRS; do
		rmdir "$s" 2>/dev/null
	done
	rm -rf --one-file-system "$CD_DIR"
	[ ! -e "$CD_DIR" ] || { echo "# $CD_DIR cannot be removed"; bad=1; }
	return $bad
}

_cd_daemon_gone()
{
	! pid_alive "$CD_PID"
}
