/* Flag parsing shared by the verbs, and signal names. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/util.h"
#include "cmd.h"

int verb_parse(int argc, char **argv, const struct verb_opt *opts, const char *usage,
               verb_handler handler, void *userdata)
{
	struct option longopts[32];
	size_t n = 0;
	int c;

	for (; opts && opts[n].name && n < 30; n++)
		longopts[n] = (struct option){opts[n].name, opts[n].has_arg, NULL, opts[n].key};
	longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[n] = (struct option){0};

	optind = 1;
	opterr = 0;
	while ((c = getopt_long_only(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage: kura %s\n", usage);
			exit(0);
		}
		if (c == '?' || c == ':') {
			log_error("%s: unknown or incomplete flag `%s`\nUsage: kura %s", argv[0],
			          argv[optind - 1], usage);
			return -1;
		}
		if (handler(c, optarg, userdata) < 0)
			return -1;
	}
	return optind;
}

int verb_need_args(int argc, int first, int n, const char *usage)
{
	if (argc - first != n) {
		log_error("expected %d argument%s, got %d\nUsage: kura %s", n, n == 1 ? "" : "s",
		          argc - first, usage);
		return -1;
	}
	return 0;
}

int signal_parse(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {
	    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
	    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
	    {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
	    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
	    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
	    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
	    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
	    {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
	    {"SYS", SIGSYS},
	};
	uint64_t num;

	if (parse_u64(s, &num) == 0)
		return num >= 1 && num <= (uint64_t)SIGRTMAX ? (int)num : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].sig;
	if (strncasecmp(s, "RTMIN+", 6) == 0 && parse_u64(s + 6, &num) == 0 &&
	    SIGRTMIN + (int)num <= SIGRTMAX)
		return SIGRTMIN + (int)num;
	if (strcasecmp(s, "RTMIN") == 0)
		return SIGRTMIN;
	if (strcasecmp(s, "RTMAX") == 0)
		return SIGRTMAX;
	return -1;
}
