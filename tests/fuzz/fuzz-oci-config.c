/* libFuzzer target for the config.json parser: spec_parse() on arbitrary
 * bytes, then spec_parse_process() on the same bytes against the parsed
 * spec.  Besides ASan/UBSan findings it aborts when an error message
 * breaks the convention (one line, prefixed with the file name) or a
 * parsed spec breaks the model's invariants.  linux.resources is then
 * run through cgroups/' validator.
 *
 * The bundle holding rootfs/ comes from $KURA_FUZZ_BUNDLE (run.sh makes
 * and removes it); without it the target makes its own and removes it at
 * exit. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cgroups/cgroups.h"
#include "../../common/util.h"
#include "../../runtime/spec.h"

static char own_bundle[64];
static const char *bundle;

static void remove_own_bundle(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/rootfs", own_bundle);
	rmdir(path);
	rmdir(own_bundle);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[128];

	bundle = getenv("KURA_FUZZ_BUNDLE");
	if (bundle)
		return 0;
	snprintf(own_bundle, sizeof(own_bundle), "/tmp/kura-fuzz-XXXXXX");
	if (!mkdtemp(own_bundle))
		abort();
	snprintf(path, sizeof(path), "%s/rootfs", own_bundle);
	if (mkdir(path, 0755) < 0)
		abort();
	atexit(remove_own_bundle);
	bundle = own_bundle;
	return 0;
}

static void check_message(const struct kerr *err, const char *prefix)
{
	if (!str_has_prefix(err->msg, prefix) || strchr(err->msg, '\n') || strlen(err->msg) < 8) {
		fprintf(stderr, "bad error message: \"%s\"\n", err->msg);
		abort();
	}
}

static void check_strv(const char **v)
{
	for (; v && *v; v++)
		if (strlen(*v) > 1u << 26)
			abort();
}

/* Touch every borrowed string and array: a dangling pointer shows up
 * under ASan here rather than in a later user. */
static void check_spec(const struct oci_spec *s)
{
	if (!s->root_path || s->root_path[0] != '/' || !s->oci_version)
		abort();
	if (s->has_process) {
		if (!s->process.args || !s->process.args[0] || !s->process.env || !s->process.cwd ||
		    s->process.cwd[0] != '/')
			abort();
		check_strv(s->process.args);
		check_strv(s->process.env);
		for (size_t i = 0; i < s->process.n_rlimits; i++)
			if (s->process.rlimits[i].soft > s->process.rlimits[i].hard)
				abort();
	}
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct fsroot_mount *m = &s->mounts[i];

		if (m->destination[0] != '/' || (m->bind && (!m->source || m->source[0] != '/')))
			abort();
		if (m->data && strlen(m->data) > 4095)
			abort();
		if (m->type)
			(void)strlen(m->type);
	}
	for (int k = 0; k < OCI_HOOK_KIND_COUNT; k++)
		for (size_t i = 0; i < s->hooks.n_hooks[k]; i++) {
			if (s->hooks.hooks[k][i].path[0] != '/')
				abort();
			check_strv(s->hooks.hooks[k][i].args);
			check_strv(s->hooks.hooks[k][i].env);
		}
	for (size_t i = 0; i < s->n_annotations; i++)
		if (spec_annotation(s, s->annotations[i].key) == NULL)
			abort();
	for (size_t i = 0; i < s->linux.n_namespaces; i++) {
		const struct oci_namespace *ns = &s->linux.namespaces[i];

		if (spec_namespace(s, ns->type) != ns || !spec_namespace_name(ns->type))
			abort();
		if (ns->path && ns->path[0] != '/')
			abort();
	}
	for (size_t i = 0; i < s->linux.n_uid_mappings; i++)
		if (s->linux.uid_mappings[i].size == 0)
			abort();
	for (size_t i = 0; i < s->linux.n_devices; i++)
		if (s->linux.devices[i].path[0] != '/' || s->linux.devices[i].major < 0)
			abort();
	for (size_t i = 0; i < s->linux.n_sysctl; i++)
		(void)strlen(s->linux.sysctl[i].value);
	check_strv(s->linux.masked_paths);
	check_strv(s->linux.readonly_paths);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_spec *spec = (struct oci_spec *)0x1;
	struct kerr err = {0};

	if (spec_parse((const char *)data, size, bundle, "config.json", &spec, &err) < 0) {
		if (spec != (struct oci_spec *)0x1)
			abort();
		check_message(&err, "config.json: ");
		return 0;
	}
	check_spec(spec);
	/* linux.resources goes to the cgroups/ validator. */
	{
		struct cgroup_resources r;

		if (cgroup_resources_parse(spec->linux.resources, "linux.resources", &r, &err) < 0)
			check_message(&err, "linux.resources");
		else
			cgroup_resources_free(&r);
	}
	/* The same bytes as an exec process.json. */
	if (spec_parse_process(spec, (const char *)data, size, "process.json", &err) < 0)
		check_message(&err, "process.json: ");
	check_spec(spec);
	spec_free(spec);
	return 0;
}
