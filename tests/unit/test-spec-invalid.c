/* Every malformed config is refused with one line naming the field:
 * a table of config snippets with the substring the message must hold,
 * the invalid samples in tests/data/configs/invalid (NAME.json with the
 * expected substring in NAME.err), and a few generated inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/cleanup.h"
#include "../../common/util.h"
#include "../../runtime/spec.h"

static char bundle[64];

/* A valid base config; a case adds members after it, and a later
 * duplicate key replaces the earlier one (json-c keeps the last). */
#define BASE               "\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, "
#define PROC               "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}"
#define CFG(extra)         "{" BASE PROC ", " extra "}"
#define CFG_PROC(members)  "{" BASE "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", " members "}}"
#define CFG_LINUX(members) "{" BASE PROC ", \"linux\": {" members "}}"
#define USERNS             "\"namespaces\": [{\"type\": \"user\"}], "
#define LONG_NAME                                                                                  \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xx"                                                                                       \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xx"
#define MAP1 "{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}"

struct bad_case {
	const char *json;
	const char *expect;
};

static const struct bad_case bad_cases[] = {
    /* JSON syntax */
    {"", "config.json: invalid JSON at line 1: "},
    {"{\n\"ociVersion\": \"1.2.0\",\n\"root\": {\"path\": \"rootfs\"},\n\"mounts\": [,]\n}",
     "config.json: invalid JSON at line 4: "},
    {CFG("\"hostname\": \"a\"") " trailing", "invalid JSON at line 1: "},
    {"{\"ociVersion\": \"1.2.0\",}", "invalid JSON"},
    {"{\"ociVersion\": \"\xff\xfe\"}", "invalid JSON"},
    {"{\"a\": 01}", "invalid JSON"},
    {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]"
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     "invalid JSON"},
    {"[]", "config.json: expected a JSON object at the top level"},
    {"\"config\"", "config.json: expected a JSON object at the top level"},
    {"null", "config.json: expected a JSON object at the top level"},

    /* ociVersion */
    {"{\"root\": {\"path\": \"rootfs\"}}", "config.json: ociVersion: is required"},
    {"{\"ociVersion\": 1, \"root\": {\"path\": \"rootfs\"}}", "ociVersion: expected a string"},
    {"{\"ociVersion\": \"2.0.0\", \"root\": {\"path\": \"rootfs\"}}",
     "ociVersion: unsupported version \"2.0.0\""},
    {"{\"ociVersion\": \"1.4.0\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"0.9.0\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"1.0\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"1.2.x\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"v1.2.0\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"1.2.0x\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"1.10.0\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},
    {"{\"ociVersion\": \"\", \"root\": {\"path\": \"rootfs\"}}", "ociVersion: unsupported"},

    /* root */
    {"{\"ociVersion\": \"1.2.0\"}", "config.json: root: is required"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": null}", "config.json: root: is required"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": \"rootfs\"}", "config.json: root: expected an object"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {}}", "config.json: root.path: is required"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"\"}}", "root.path: must not be empty"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": 5}}", "root.path: expected a string"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\", \"readonly\": \"yes\"}}",
     "root.readonly: expected a boolean"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"missing\"}}",
     "/missing\": No such file or directory"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"file\"}}", "/file\": Not a directory"},
    {"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"/nonexistent/kura/rootfs\"}}",
     "config.json: root.path: \"/nonexistent/kura/rootfs\": No such file or directory"},

    /* process */
    {CFG("\"process\": []"), "config.json: process: expected an object"},
    {CFG("\"process\": {\"cwd\": \"/\"}"),
     "config.json: process.args: expected a non-empty array of strings"},
    {CFG("\"process\": {\"args\": [], \"cwd\": \"/\"}"),
     "process.args: expected a non-empty array of strings"},
    {CFG("\"process\": {\"args\": \"sh\", \"cwd\": \"/\"}"),
     "process.args: expected a non-empty array of strings"},
    {CFG("\"process\": {\"args\": [1], \"cwd\": \"/\"}"), "process.args[0]: expected a string"},
    {CFG("\"process\": {\"args\": [\"sh\", null], \"cwd\": \"/\"}"),
     "process.args[1]: expected a string"},
    {CFG("\"process\": {\"args\": [\"\"], \"cwd\": \"/\"}"), "process.args[0]: must not be empty"},
    {CFG("\"process\": {\"args\": [\"a\\u0000b\"], \"cwd\": \"/\"}"),
     "process.args[0]: contains a NUL byte"},
    {CFG("\"process\": {\"args\": [\"sh\"]}"), "config.json: process.cwd: is required"},
    {CFG("\"process\": {\"args\": [\"sh\"], \"cwd\": \"home\"}"),
     "process.cwd: must be an absolute path"},
    {CFG("\"process\": {\"args\": [\"sh\"], \"cwd\": 1}"), "process.cwd: expected a string"},
    {CFG_PROC("\"env\": [\"PATH=/bin\", \"FOO\"]"), "process.env[1]: expected \"NAME=value\""},
    {CFG_PROC("\"env\": [\"=x\"]"), "process.env[0]: expected \"NAME=value\""},
    {CFG_PROC("\"env\": \"A=b\""), "process.env: expected an array of strings"},
    {CFG_PROC("\"terminal\": \"true\""), "process.terminal: expected a boolean"},
    {CFG_PROC("\"terminal\": 1"), "process.terminal: expected a boolean"},
    {CFG_PROC("\"consoleSize\": {\"height\": 1}"), "process.consoleSize.width: is required"},
    {CFG_PROC("\"consoleSize\": {\"height\": -1, \"width\": 1}"),
     "process.consoleSize.height: expected an unsigned integer"},
    {CFG_PROC("\"consoleSize\": {\"height\": 70000, \"width\": 1}"),
     "process.consoleSize.height: 70000 is out of range"},
    {CFG_PROC("\"consoleSize\": [25, 80]"), "process.consoleSize: expected an object"},
    {CFG_PROC("\"user\": \"root\""), "process.user: expected an object"},
    {CFG_PROC("\"user\": {\"uid\": -1, \"gid\": 0}"),
     "process.user.uid: expected an unsigned integer"},
    {CFG_PROC("\"user\": {\"uid\": 4294967295, \"gid\": 0}"),
     "process.user.uid: 4294967295 is out of range"},
    {CFG_PROC("\"user\": {\"uid\": 1.5, \"gid\": 0}"),
     "process.user.uid: expected an unsigned integer"},
    {CFG_PROC("\"user\": {\"uid\": true, \"gid\": 0}"),
     "process.user.uid: expected an unsigned integer"},
    {CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 4294967296}"),
     "process.user.gid: 4294967296 is out of range"},
    {CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 99999999999999999999999}"),
     "process.user.gid: 18446744073709551615 is out of range"},
    {CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 512}"),
     "process.user.umask: 512 is out of range (at most 511)"},
    {CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 0, \"additionalGids\": [1, -2]}"),
     "process.user.additionalGids[1]: expected an unsigned integer"},
    {CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 0, \"additionalGids\": 5}"),
     "process.user.additionalGids: expected an array"},
    {CFG_PROC("\"capabilities\": []"), "process.capabilities: expected an object"},
    {CFG_PROC("\"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_FOO\"]}"),
     "config.json: process.capabilities.bounding[1]: unknown capability \"CAP_FOO\""},
    {CFG_PROC("\"capabilities\": {\"permitted\": [\"cap_kill\"]}"),
     "process.capabilities.permitted[0]: unknown capability \"cap_kill\""},
    {CFG_PROC("\"capabilities\": {\"inheritable\": [\"KILL\"]}"),
     "process.capabilities.inheritable[0]: unknown capability"},
    {CFG_PROC("\"capabilities\": {\"effective\": \"CAP_KILL\"}"),
     "process.capabilities.effective: expected an array"},
    {CFG_PROC("\"capabilities\": {\"ambient\": [1]}"),
     "process.capabilities.ambient[0]: expected a string"},
    {CFG_PROC("\"rlimits\": {}"), "process.rlimits: expected an array"},
    {CFG_PROC("\"rlimits\": [5]"), "process.rlimits[0]: expected an object"},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_FOO\", \"soft\": 1, \"hard\": 1}]"),
     "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {CFG_PROC("\"rlimits\": [{\"soft\": 1, \"hard\": 1}]"), "process.rlimits[0].type: is required"},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 1}, "
              "{\"type\": \"RLIMIT_NOFILE\", \"soft\": 2, \"hard\": 2}]"),
     "process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\""},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, \"hard\": 5}]"),
     "process.rlimits[0]: soft limit 10 is above the hard limit 5"},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": -1, \"hard\": 5}]"),
     "process.rlimits[0].soft: expected an unsigned integer"},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1}]"),
     "process.rlimits[0].hard: is required"},
    {CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": \"1\"}]"),
     "process.rlimits[0].hard: expected an unsigned integer"},
    {CFG_PROC("\"noNewPrivileges\": 1"), "process.noNewPrivileges: expected a boolean"},
    {CFG_PROC("\"oomScoreAdj\": 1001"),
     "process.oomScoreAdj: expected an integer between -1000 and 1000"},
    {CFG_PROC("\"oomScoreAdj\": -1001"),
     "process.oomScoreAdj: expected an integer between -1000 and 1000"},
    {CFG_PROC("\"oomScoreAdj\": 9223372036854775808"),
     "process.oomScoreAdj: expected an integer between -1000 and 1000"},
    {CFG_PROC("\"oomScoreAdj\": \"5\""), "process.oomScoreAdj: expected an integer"},
    {CFG_PROC("\"apparmorProfile\": 5"), "process.apparmorProfile: expected a string"},
    {CFG_PROC("\"selinuxLabel\": {}"), "process.selinuxLabel: expected a string"},
    {CFG_PROC("\"scheduler\": {}"), "process.scheduler.policy: is required"},
    {CFG_PROC("\"scheduler\": {\"policy\": \"SCHED_FOO\"}"),
     "process.scheduler.policy: unknown scheduling policy \"SCHED_FOO\""},
    {CFG_PROC("\"scheduler\": {\"policy\": \"SCHED_OTHER\", \"nice\": 20}"),
     "process.scheduler.nice: expected an integer between -20 and 19"},
    {CFG_PROC("\"scheduler\": {\"policy\": \"SCHED_RR\", \"flags\": [\"SCHED_FLAG_X\"]}"),
     "process.scheduler.flags[0]: unknown scheduler flag"},
    {CFG_PROC("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_NONE\"}"),
     "process.ioPriority.class: unknown I/O priority class"},
    {CFG_PROC("\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 8}"),
     "process.ioPriority.priority: expected an integer between 0 and 7"},
    {CFG_PROC("\"execCPUAffinity\": {\"initial\": 0}"),
     "process.execCPUAffinity.initial: expected a string"},

    /* hostname, domainname */
    {CFG("\"hostname\": 5"), "config.json: hostname: expected a string"},
    {CFG("\"hostname\": \"box\""),
     "config.json: hostname: unable to set hostname without a private UTS namespace"},
    {CFG("\"domainname\": \"example.org\", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}"),
     "config.json: domainname: unable to set domainname without a private UTS namespace"},

    /* mounts */
    {CFG("\"mounts\": {}"), "config.json: mounts: expected an array"},
    {CFG("\"mounts\": [1]"), "config.json: mounts[0]: expected an object"},
    {CFG("\"mounts\": [{\"type\": \"tmpfs\"}]"), "config.json: mounts[0].destination: is required"},
    {CFG("\"mounts\": [{\"destination\": 5, \"type\": \"tmpfs\"}]"),
     "mounts[0].destination: expected a string"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\"}, {\"destination\": \"/b\", "
         "\"type\": \"tmpfs\"}, {\"destination\": \"/c\", \"type\": \"tmpfs\"}, "
         "{\"destination\": \"d\", \"type\": \"tmpfs\"}]"),
     "config.json: mounts[3].destination: must be an absolute path"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": 5}]"),
     "mounts[0].type: expected a string"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": []}]"),
     "mounts[0].source: expected a string"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"options\": \"ro\"}]"),
     "mounts[0].options: expected an array of strings"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"options\": [\"ro\", 1]}]"),
     "mounts[0].options[1]: expected a string"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"options\": [\"\"]}]"),
     "config.json: mounts[0].options[0]: empty mount option"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\"}]"),
     "mounts[0].source: a bind mount needs a source"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"options\": [\"rbind\"], \"source\": \"\"}]"),
     "mounts[0].source: a bind mount needs a source"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"source\": \"/x\"}]"),
     "mounts[0].type: is required unless the mount is a bind mount"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"/x\", "
         "\"uidMappings\": [" MAP1 "]}]"),
     "mounts[0].uidMappings: id-mapped mounts are not supported"},
    {CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"/x\", "
         "\"gidMappings\": {}}]"),
     "mounts[0].gidMappings: expected an array"},

    /* hooks */
    {CFG("\"hooks\": []"), "config.json: hooks: expected an object"},
    {CFG("\"hooks\": {\"prestart\": {}}"), "config.json: hooks.prestart: expected an array"},
    {CFG("\"hooks\": {\"poststop\": [\"/bin/true\"]}"), "hooks.poststop[0]: expected an object"},
    {CFG("\"hooks\": {\"poststop\": [{\"args\": []}]}"), "hooks.poststop[0].path: is required"},
    {CFG("\"hooks\": {\"createRuntime\": [{\"path\": \"/a\"}, {\"path\": \"bin/hook\"}]}"),
     "config.json: hooks.createRuntime[1].path: must be an absolute path"},
    {CFG("\"hooks\": {\"startContainer\": [{\"path\": \"/a\", \"timeout\": 0}]}"),
     "hooks.startContainer[0].timeout: expected a positive number of seconds"},
    {CFG("\"hooks\": {\"startContainer\": [{\"path\": \"/a\", \"timeout\": -1}]}"),
     "hooks.startContainer[0].timeout: expected a positive number of seconds"},
    {CFG("\"hooks\": {\"startContainer\": [{\"path\": \"/a\", \"timeout\": 1.5}]}"),
     "hooks.startContainer[0].timeout: expected a positive number of seconds"},
    {CFG("\"hooks\": {\"startContainer\": [{\"path\": \"/a\", \"timeout\": 4294967296}]}"),
     "hooks.startContainer[0].timeout: expected a positive number of seconds"},
    {CFG("\"hooks\": {\"poststart\": [{\"path\": \"/a\", \"args\": [1]}]}"),
     "hooks.poststart[0].args[0]: expected a string"},
    {CFG("\"hooks\": {\"createContainer\": [{\"path\": \"/a\", \"env\": \"X=1\"}]}"),
     "hooks.createContainer[0].env: expected an array"},
    {CFG("\"hooks\": {\"prestart\": [{\"path\": \"/a\", \"timeout\": \"5\"}]}"),
     "hooks.prestart[0].timeout: expected a positive number of seconds"},

    /* annotations */
    {CFG("\"annotations\": []"), "config.json: annotations: expected an object"},
    {CFG("\"annotations\": {\"a\": \"b\", \"c\": 1}"),
     "config.json: annotations[\"c\"]: expected a string"},
    {CFG("\"annotations\": {\"\": \"x\"}"), "config.json: annotations: empty key"},
    {CFG("\"annotations\": {\"a\": null}"), "annotations[\"a\"]: expected a string"},

    /* linux: namespaces */
    {CFG("\"linux\": []"), "config.json: linux: expected an object"},
    {CFG_LINUX("\"namespaces\": {}"), "config.json: linux.namespaces: expected an array"},
    {CFG_LINUX("\"namespaces\": [\"pid\"]"), "linux.namespaces[0]: expected an object"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"ipc\"}, {\"type\": \"foo\"}]"),
     "config.json: linux.namespaces[2].type: unknown namespace type \"foo\""},
    /* strings from the config are quoted and escaped: one line always */
    {CFG_LINUX("\"namespaces\": [{\"type\": \"a\\nb\\\"c\\\\d\\u0007\"}]"),
     "linux.namespaces[0].type: unknown namespace type \"a\\x0ab\\\"c\\\\d\\x07\""},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"" LONG_NAME "\"}]"),
     "linux.namespaces[0].type: unknown namespace type \"xxxxxxxxxx"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"" LONG_NAME "\"}]"), "xxxxx...\""},
    {CFG("\"annotations\": {\"multi\\nline\": 1}"),
     "config.json: annotations[\"multi\\x0aline\"]: expected a string"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"PID\"}]"),
     "linux.namespaces[0].type: unknown namespace type \"PID\""},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"pid\"}]"),
     "config.json: linux.namespaces[1].type: duplicate namespace \"pid\""},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"network\"}, {\"type\": \"network\", \"path\": "
               "\"/run/netns/x\"}]"),
     "linux.namespaces[1].type: duplicate namespace \"network\""},
    {CFG_LINUX("\"namespaces\": [{\"path\": \"/proc/1/ns/pid\"}]"),
     "linux.namespaces[0].type: is required"},
    {CFG_LINUX("\"namespaces\": [{\"type\": 1}]"), "linux.namespaces[0].type: expected a string"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"net\", \"path\": \"/run/netns/x\"}]"),
     "linux.namespaces[0].type: unknown namespace type \"net\""},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"network\", \"path\": \"run/netns/x\"}]"),
     "config.json: linux.namespaces[0].path: must be an absolute path"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"network\", \"path\": 3}]"),
     "linux.namespaces[0].path: expected a string"},

    /* linux: user namespace and id mappings */
    {CFG_LINUX("\"uidMappings\": [" MAP1 "], \"gidMappings\": [" MAP1 "]"),
     "config.json: linux.uidMappings: user namespace mappings given, but linux.namespaces has no "
     "user namespace"},
    {CFG_LINUX("\"gidMappings\": [" MAP1 "]"), "linux.gidMappings: user namespace mappings given"},
    {CFG_LINUX(USERNS "\"uidMappings\": []"),
     "config.json: linux.uidMappings: a new user namespace needs both uidMappings and "
     "gidMappings"},
    {CFG_LINUX(USERNS "\"uidMappings\": [" MAP1 "]"),
     "linux.gidMappings: a new user namespace needs both"},
    {CFG_LINUX(USERNS "\"uidMappings\": {}"), "linux.uidMappings: expected an array"},
    {CFG_LINUX(USERNS "\"uidMappings\": [1]"), "linux.uidMappings[0]: expected an object"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 0}]"),
     "config.json: linux.uidMappings[0]: size must be at least 1"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 4294967295, \"hostID\": 1, "
                      "\"size\": 2}]"),
     "linux.uidMappings[0]: range overflows 32-bit ids"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 4294967290, "
                      "\"size\": 7}]"),
     "linux.uidMappings[0]: range overflows 32-bit ids"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}, "
                      "{\"containerID\": 9, \"hostID\": 5000, \"size\": 1}]"),
     "linux.uidMappings[1]: container ids overlap linux.uidMappings[0]"},
    {CFG_LINUX(USERNS "\"uidMappings\": [" MAP1 "], \"gidMappings\": [" MAP1
                      ", {\"containerID\": 100, \"hostID\": 1009, \"size\": 1}]"),
     "linux.gidMappings[1]: host ids overlap linux.gidMappings[0]"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": -1, \"size\": 1}]"),
     "linux.uidMappings[0].hostID: expected an unsigned integer"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"hostID\": 1, \"size\": 1}]"),
     "linux.uidMappings[0].containerID: is required"},
    {CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": "
                      "4294967297}]"),
     "linux.uidMappings[0].size: 4294967297 is out of range"},

    /* linux: time namespace */
    {CFG_LINUX("\"timeOffsets\": {\"monotonic\": {\"secs\": 1}}"),
     "config.json: linux.timeOffsets: time offsets need a new time namespace"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"time\", \"path\": \"/proc/1/ns/time\"}], "
               "\"timeOffsets\": {\"boottime\": {\"secs\": 1}}"),
     "linux.timeOffsets: time offsets need a new time namespace"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {\"realtime\": "
               "{\"secs\": 1}}"),
     "linux.timeOffsets: unknown clock \"realtime\""},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {\"monotonic\": "
               "{\"secs\": 1, \"nanosecs\": 1000000000}}"),
     "linux.timeOffsets.monotonic.nanosecs: 1000000000 is out of range"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {\"boottime\": "
               "{\"secs\": \"1\"}}"),
     "linux.timeOffsets.boottime.secs: expected an integer"},
    {CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {\"boottime\": 5}"),
     "linux.timeOffsets.boottime: expected an object"},
    {CFG_LINUX("\"timeOffsets\": []"), "linux.timeOffsets: expected an object"},

    /* linux: devices */
    {CFG_LINUX("\"devices\": {}"), "config.json: linux.devices: expected an array"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"x\", \"major\": 1, "
               "\"minor\": 1}]"),
     "config.json: linux.devices[0].type: unknown device type \"x\""},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"cc\", \"major\": 1, "
               "\"minor\": 1}]"),
     "linux.devices[0].type: unknown device type \"cc\""},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"major\": 1, \"minor\": 1}]"),
     "linux.devices[0].type: is required"},
    {CFG_LINUX("\"devices\": [{\"path\": \"dev/x\", \"type\": \"c\", \"major\": 1, "
               "\"minor\": 1}]"),
     "config.json: linux.devices[0].path: must be an absolute path"},
    {CFG_LINUX("\"devices\": [{\"type\": \"c\", \"major\": 1, \"minor\": 1}]"),
     "linux.devices[0].path: is required"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": -1, "
               "\"minor\": 1}]"),
     "config.json: linux.devices[0].major: expected an unsigned integer, got -1"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"b\", \"major\": 1, "
               "\"minor\": -3}]"),
     "linux.devices[0].minor: expected an unsigned integer, got -3"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1}]"),
     "linux.devices[0].minor: is required"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"u\", \"minor\": 1}]"),
     "linux.devices[0].major: is required"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, "
               "\"minor\": 4294967296}]"),
     "linux.devices[0].minor: 4294967296 is out of range"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, "
               "\"minor\": 1, \"fileMode\": 262144}]"),
     "linux.devices[0].fileMode: 262144 is out of range"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"p\", \"uid\": -5}]"),
     "linux.devices[0].uid: expected an unsigned integer"},
    {CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"p\", \"gid\": \"5\"}]"),
     "linux.devices[0].gid: expected an unsigned integer"},

    /* linux: the rest */
    {CFG_LINUX("\"cgroupsPath\": 5"), "config.json: linux.cgroupsPath: expected a string"},
    {CFG_LINUX("\"resources\": []"), "config.json: linux.resources: expected an object"},
    {CFG_LINUX("\"seccomp\": \"unconfined\""), "config.json: linux.seccomp: expected an object"},
    {CFG_LINUX("\"sysctl\": []"), "config.json: linux.sysctl: expected an object"},
    {CFG_LINUX("\"sysctl\": {\"net.ipv4.ip_forward\": 1}"),
     "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string"},
    {CFG_LINUX("\"maskedPaths\": [\"/proc/kcore\", \"proc/keys\"]"),
     "config.json: linux.maskedPaths[1]: must be an absolute path"},
    {CFG_LINUX("\"maskedPaths\": \"/proc/kcore\""),
     "linux.maskedPaths: expected an array of strings"},
    {CFG_LINUX("\"readonlyPaths\": [1]"), "linux.readonlyPaths[0]: expected a string"},
    {CFG_LINUX("\"readonlyPaths\": [\"sys\"]"), "linux.readonlyPaths[0]: must be an absolute path"},
    {CFG_LINUX("\"rootfsPropagation\": \"foo\""),
     "config.json: linux.rootfsPropagation: unknown propagation \"foo\""},
    {CFG_LINUX("\"rootfsPropagation\": \"ro\""),
     "linux.rootfsPropagation: unknown propagation \"ro\""},
    {CFG_LINUX("\"rootfsPropagation\": 1"), "linux.rootfsPropagation: expected a string"},
    {CFG_LINUX("\"mountLabel\": []"), "linux.mountLabel: expected a string"},
    {CFG_LINUX("\"personality\": {\"domain\": \"LINUX64\"}"),
     "linux.personality.domain: unknown domain \"LINUX64\""},
    {CFG_LINUX("\"personality\": {}"), "linux.personality.domain: is required"},
    {CFG_LINUX("\"personality\": {\"domain\": \"LINUX\", \"flags\": [\"X\"]}"),
     "linux.personality.flags: unknown flag \"X\""},
    {CFG_LINUX("\"intelRdt\": {\"closID\": \"x\"}"),
     "config.json: linux.intelRdt: Intel RDT is not supported"},
    {CFG_LINUX("\"intelRdt\": 1"), "linux.intelRdt: expected an object"},
    {CFG_LINUX("\"memoryPolicy\": {\"mode\": \"MPOL_BIND\", \"nodes\": \"0\"}"),
     "linux.memoryPolicy: NUMA memory policies are not supported"},
    {CFG_LINUX("\"netDevices\": {\"eth0\": {}}"),
     "linux.netDevices: moving network devices into the container is not supported"},
};

/* Configs at the edge of the rules that must be accepted. */
static const char *const good_cases[] = {
    "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"}}",
    "{\"ociVersion\": \"1.0.2-dev\", \"root\": {\"path\": \"rootfs\"}}",
    "{\"ociVersion\": \"1.1.0+dev\", \"root\": {\"path\": \"rootfs\"}}",
    "{\"ociVersion\": \"1.3.12\", \"root\": {\"path\": \"rootfs\"}}",
    "{\"ociVersion\": \"1.0.0-rc5\", \"root\": {\"path\": \"rootfs\"}}",
    /* null is unset, as in the Go runtimes */
    CFG("\"hostname\": null, \"mounts\": null, \"hooks\": null, \"annotations\": null, "
        "\"linux\": null"),
    CFG_PROC("\"user\": null, \"env\": null, \"capabilities\": null, \"rlimits\": null, "
             "\"terminal\": null, \"oomScoreAdj\": null"),
    CFG_LINUX("\"namespaces\": null, \"devices\": null, \"sysctl\": null, \"seccomp\": null, "
              "\"intelRdt\": null, \"memoryPolicy\": {}"),
    /* unknown properties are ignored at every level */
    CFG("\"solaris\": {\"milestone\": 1}, \"windows\": 5, \"x-extra\": [1, \"a\", null]"),
    CFG_PROC("\"username\": \"root\", \"commandLine\": \"sh\", \"unknownKey\": {}"),
    CFG_LINUX("\"futureThing\": [1, 2]"),
    /* an empty hostname or domainname is none */
    CFG("\"hostname\": \"\", \"domainname\": \"\""),
    /* a console size without a terminal is fine */
    CFG_PROC("\"consoleSize\": {\"height\": 0, \"width\": 65535}"),
    /* a joined user namespace brings its own mappings */
    CFG_LINUX("\"namespaces\": [{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}]"),
    CFG_LINUX("\"namespaces\": [{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}], "
              "\"uidMappings\": [" MAP1 "], \"gidMappings\": [" MAP1 "]"),
    /* empty mapping arrays are no mappings */
    CFG_LINUX("\"uidMappings\": [], \"gidMappings\": []"),
    /* adjacent ranges do not overlap; a range may end at the last id */
    CFG_LINUX(USERNS "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 0, \"size\": 10}, "
                     "{\"containerID\": 10, \"hostID\": 10, \"size\": 4294967286}], "
                     "\"gidMappings\": [" MAP1 "]"),
    CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {}"),
    CFG_LINUX("\"namespaces\": [{\"type\": \"time\"}], \"timeOffsets\": {\"monotonic\": "
              "{\"secs\": -9223372036854775808, \"nanosecs\": 999999999}}"),
    CFG_LINUX("\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 4294967295, "
              "\"minor\": 0, \"fileMode\": 8630}]"),
    CFG_PROC("\"oomScoreAdj\": -1000"),
    CFG_PROC("\"oomScoreAdj\": 1000"),
    CFG_PROC("\"user\": {\"uid\": 4294967294, \"gid\": 0, \"umask\": 511}"),
    CFG_PROC("\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"soft\": 18446744073709551615, "
             "\"hard\": 18446744073709551615}]"),
    CFG("\"hooks\": {\"prestart\": [], \"unknownHook\": [{\"path\": \"x\"}]}"),
    CFG("\"hooks\": {\"prestart\": [{\"path\": \"/a\", \"timeout\": 2147483647}]}"),
    CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\", \"source\": \"/x\", "
        "\"uidMappings\": []}]"),
    CFG_LINUX("\"rootfsPropagation\": \"\""),
    CFG_LINUX("\"personality\": {\"domain\": \"LINUX\", \"flags\": []}"),
    /* whitespace around the document */
    "\n\t " CFG("\"hostname\": \"\"") "\n\n",
};

static int setup(void **state)
{
	char path[128];
	int fd;

	snprintf(bundle, sizeof(bundle), "/tmp/kura-test-spec-XXXXXX");
	if (!mkdtemp(bundle))
		return -1;
	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/file", bundle);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/rootfs", bundle);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/file", bundle);
	unlink(path);
	return rmdir(bundle);
}

/* Parse text; on failure check the message is one line that starts with
 * the file name and that *ret was left alone. */
static int parse(const char *text, size_t len, struct kerr *err)
{
	struct oci_spec *sentinel = (struct oci_spec *)0x1, *spec = sentinel;
	int r = spec_parse(text, len, bundle, "config.json", &spec, err);

	if (r == 0) {
		assert_ptr_not_equal(spec, sentinel);
		spec_free(spec);
		return 0;
	}
	assert_true(r < 0);
	assert_ptr_equal(spec, sentinel);
	assert_null(strchr(err->msg, '\n'));
	assert_true(str_has_prefix(err->msg, "config.json: "));
	return r;
}

static void expect_failure(const char *text, size_t len, const char *expect)
{
	struct kerr err = {0};

	if (parse(text, len, &err) == 0)
		fail_msg("accepted: %s\n(expected an error containing: %s)", text, expect);
	if (!strstr(err.msg, expect))
		fail_msg("for: %s\nmessage: %s\nexpected to contain: %s", text, err.msg, expect);
}

static void test_bad_cases(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++)
		expect_failure(bad_cases[i].json, strlen(bad_cases[i].json), bad_cases[i].expect);
}

static void test_good_cases(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(good_cases); i++) {
		struct kerr err = {0};

		if (parse(good_cases[i], strlen(good_cases[i]), &err) < 0)
			fail_msg("refused: %s\nmessage: %s", good_cases[i], err.msg);
	}
}

static char *read_text(const char *path, size_t *len)
{
	struct kerr err = {0};
	char *text = NULL;

	if (read_file_at(AT_FDCWD, path, &text, len, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

static void test_invalid_samples(void **state)
{
	_cleanup_closedir_ DIR *d = opendir(KURA_TEST_DATA "/configs/invalid");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		_cleanup_free_ char *path = NULL, *err_path = NULL, *text = NULL, *expect = NULL;
		size_t len, elen;
		size_t nlen = strlen(de->d_name);

		if (nlen < 6 || strcmp(de->d_name + nlen - 5, ".json") != 0)
			continue;
		path = xasprintf("%s/configs/invalid/%s", KURA_TEST_DATA, de->d_name);
		err_path = xasprintf("%s/configs/invalid/%.*s.err", KURA_TEST_DATA, (int)(nlen - 5),
		                     de->d_name);
		text = read_text(path, &len);
		expect = read_text(err_path, &elen);
		while (elen > 0 && expect[elen - 1] == '\n')
			expect[--elen] = '\0';
		assert_true(elen > 0);
		expect_failure(text, len, expect);
		n++;
	}
	assert_true(n >= 10);
}

/* Inputs that cannot be written as C string literals or are too long. */
static void test_generated_inputs(void **state)
{
	static const char with_nul[] = "{\n\"ociVersion\": \"1.2.0\",\0 \"root\": {}}";
	_cleanup_free_ char *long_opts = NULL, *many_maps = NULL, *a = NULL, *body = NULL;
	_cleanup_free_ char *gids = NULL, *groups = NULL;
	size_t gsize = (NGROUPS_MAX + 1) * 2 + 16, goff = 0;
	char *maps;
	size_t off = 0;

	expect_failure(with_nul, sizeof(with_nul) - 1,
	               "config.json: invalid JSON at line 2: NUL byte");

	/* Mount data longer than the page the kernel copies. */
	a = xmalloc(5000);
	memset(a, 'a', 4999);
	a[4999] = '\0';
	long_opts = xasprintf(CFG("\"mounts\": [{\"destination\": \"/a\", \"type\": \"tmpfs\", "
	                          "\"options\": [\"nosuid\", \"size=1k\", \"x=%s\"]}]"),
	                      a);
	expect_failure(
	    long_opts, strlen(long_opts),
	    "config.json: mounts[0].options[2]: filesystem options longer than 4095 bytes");

	/* More id mappings than the kernel takes. */
	maps = many_maps = xmalloc(400 * 64);
	for (int i = 0; i < 341; i++)
		off += (size_t)snprintf(maps + off, 64,
		                        "%s{\"containerID\": %d, \"hostID\": %d, "
		                        "\"size\": 1}",
		                        i ? "," : "", i, 1000 + i);
	body =
	    xasprintf(CFG_LINUX(USERNS "\"uidMappings\": [%s], \"gidMappings\": [%s]"), maps, maps);
	expect_failure(body, strlen(body),
	               "linux.uidMappings: 341 mappings; the kernel takes at most 340");

	/* More supplementary groups than the kernel takes. */
	gids = xmalloc(gsize);
	for (int i = 0; i <= NGROUPS_MAX; i++)
		goff += (size_t)snprintf(gids + goff, gsize - goff, "%s1", i ? "," : "");
	groups = xasprintf(CFG_PROC("\"user\": {\"uid\": 0, \"gid\": 0, \"additionalGids\": [%s]}"),
	                   gids);
	expect_failure(groups, strlen(groups),
	               "process.user.additionalGids: more than 65536 groups");
}

/* A missing file and a NULL name: spec_load names the file, spec_parse
 * defaults to "config.json". */
static void test_load_errors(void **state)
{
	struct oci_spec *spec = (struct oci_spec *)0x1;
	struct kerr err = {0};

	assert_true(spec_load(bundle, &spec, &err) < 0);
	assert_ptr_equal(spec, (struct oci_spec *)0x1);
	assert_non_null(strstr(err.msg, "/config.json"));
	assert_non_null(strstr(err.msg, "No such file or directory"));

	assert_true(spec_load("/nonexistent/kura/bundle", &spec, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/kura/bundle"));

	assert_true(spec_parse("{}", 2, bundle, NULL, &spec, &err) < 0);
	assert_string_equal(err.msg, "config.json: ociVersion: is required");
	assert_true(spec_parse("{}", 2, bundle, "other.json", &spec, &err) < 0);
	assert_string_equal(err.msg, "other.json: ociVersion: is required");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_cases),       cmocka_unit_test(test_good_cases),
	    cmocka_unit_test(test_invalid_samples), cmocka_unit_test(test_generated_inputs),
	    cmocka_unit_test(test_load_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
