# tests/lib/mkbundle.sh: build small OCI bundles around busybox-static.
#
# Sourced by the integration tests, scripts/demo.sh and bench/. Needs bash,
# jq and /bin/busybox (Debian's busybox-static).
#
#   mkbundle_rootfs             print the path of the cached busybox rootfs,
#                               building it once (flock-protected, so
#                               parallel ctest jobs share one build)
#   mkbundle DIR [ARG...]       DIR/rootfs (a private copy of the cached
#                               rootfs) and DIR/config.json running ARG...
#   mkbundle_shared DIR ROOTFS [ARG...]
#                               DIR/config.json only, root.path = ROOTFS
#                               (absolute): many bundles, one rootfs
#   bundle_edit DIR FILTER [JQ-ARGS...]
#                               rewrite DIR/config.json through jq FILTER
#   bundle_args DIR ARG...      set process.args
#
# The config is `$MKBUNDLE_SPEC` (default: `$KURA spec`) as it comes (root
# read-only, pid/net/ipc/uts/mount namespaces, default mounts and masked
# paths) with terminal off and these test-friendly changes: process.env gets KURA_TEST_TAG=$MKBUNDLE_TAG (the leak checker
# of tests/lib/common.sh finds container processes by it) and, when
# MKBUNDLE_CGROUP_PREFIX is set, linux.cgroupsPath is a *relative* path
# "$MKBUNDLE_CGROUP_PREFIX-N", which runc (and kura) place below the
# runtime's own cgroup, as the house rules of this host require.

MKBUNDLE_CACHE=${MKBUNDLE_CACHE:-${KURA_BUILD_DIR:-/tmp}/test-cache}
MKBUNDLE_BUSYBOX=${MKBUNDLE_BUSYBOX:-/bin/busybox}
MKBUNDLE_TAG=${MKBUNDLE_TAG:-}
MKBUNDLE_CGROUP_PREFIX=${MKBUNDLE_CGROUP_PREFIX:-}
_mkbundle_seq=0

_mkbundle_die()
{
	echo "mkbundle: $*" >&2
	return 1
}

# Populate an empty directory with the busybox rootfs.
_mkbundle_build_rootfs()
{
	local r=$1
	mkdir -p "$r"/{bin,ctl,dev,etc,home/kura,proc,root,sys,tmp,var/tmp,run} || return 1
	chmod 1777 "$r/tmp" "$r/var/tmp"
	cp "$MKBUNDLE_BUSYBOX" "$r/bin/busybox" || return 1
	# Inside the chroot, so the applet links point at /bin/busybox of the
	# container and not at a host path.
	chroot "$r" /bin/busybox --install -s /bin || return 1
	cat >"$r/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		kura:x:1000:1000:kura test user:/home/kura:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$r/etc/group" <<-'EOF'
		root:x:0:
		tty:x:5:
		kura:x:1000:
		extra:x:1001:kura
		nogroup:x:65534:
	EOF
	echo "kura-rootfs" >"$r/etc/hostname"
	chown 1000:1000 "$r/home/kura"
}

mkbundle_rootfs()
{
	local stamp key dir
	[ -x "$MKBUNDLE_BUSYBOX" ] || _mkbundle_die "$MKBUNDLE_BUSYBOX missing (apt-get install busybox-static)" || return 1
	# Rebuild when busybox changes or this script changes.
	key=$(cat "$MKBUNDLE_BUSYBOX" "${BASH_SOURCE[0]}" | cksum | cut -d' ' -f1)
	dir=$MKBUNDLE_CACHE/rootfs-$key
	stamp=$dir.done
	if [ ! -e "$stamp" ]; then
		mkdir -p "$MKBUNDLE_CACHE" || return 1
		(
			flock 9
			if [ ! -e "$stamp" ]; then
				rm -rf "$dir" "$dir.tmp"
				mkdir "$dir.tmp" && _mkbundle_build_rootfs "$dir.tmp" &&
					mv "$dir.tmp" "$dir" && touch "$stamp"
			fi
		) 9>"$MKBUNDLE_CACHE/.lock" || _mkbundle_die "cannot build rootfs in $dir" || return 1
	fi
	echo "$dir"
}

# Write DIR/config.json for root path ROOT, running ARG... (default: true).
_mkbundle_config()
{
	local dir=$1 root=$2 spec
	shift 2
	[ $# -gt 0 ] || set -- true
	spec=${MKBUNDLE_SPEC:-${KURA:?KURA is not set} spec}
	rm -f "$dir/config.json"
	# shellcheck disable=SC2086 # MKBUNDLE_SPEC is a command line
	$spec --bundle "$dir" || _mkbundle_die "'$spec' failed" || return 1
	_mkbundle_seq=$((_mkbundle_seq + 1))
	local cg=
	[ -z "$MKBUNDLE_CGROUP_PREFIX" ] || cg="$MKBUNDLE_CGROUP_PREFIX-$_mkbundle_seq"
	local args
	args=$(jq -nc '$ARGS.positional' --args -- "$@") || return 1
	bundle_edit "$dir" '
		.root.path = $root
		| .process.terminal = false
		| .process.args = $args
		| (if $tag != "" then .process.env += ["KURA_TEST_TAG=" + $tag] else . end)
		| (if $cg != "" then .linux.cgroupsPath = $cg else . end)' \
		--arg root "$root" --argjson args "$args" --arg tag "$MKBUNDLE_TAG" --arg cg "$cg"
}

mkbundle()
{
	local dir=$1 src
	shift
	src=$(mkbundle_rootfs) || return 1
	mkdir -p "$dir" || return 1
	rm -rf "$dir/rootfs"
	cp -a "$src" "$dir/rootfs" || return 1
	_mkbundle_config "$dir" rootfs "$@"
}

mkbundle_shared()
{
	local dir=$1 root=$2
	shift 2
	case $root in
	/*) ;;
	*) _mkbundle_die "mkbundle_shared: rootfs path must be absolute: $root" || return 1 ;;
	esac
	mkdir -p "$dir" || return 1
	_mkbundle_config "$dir" "$root" "$@"
}

bundle_edit()
{
	local dir=$1 filter=$2
	shift 2
	jq "$@" "$filter" "$dir/config.json" >"$dir/config.json.new" &&
		mv "$dir/config.json.new" "$dir/config.json" ||
		_mkbundle_die "jq edit failed: $filter"
}

bundle_args()
{
	local dir=$1 args
	shift
	args=$(jq -nc '$ARGS.positional' --args -- "$@") || return 1
	bundle_edit "$dir" '.process.args = $a' --argjson a "$args"
}
