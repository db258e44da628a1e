/* `kura features`: the runtime-spec features document (features.md,
 * features-linux.md) that tells callers what this build of kura accepts. */
#ifndef KURA_RUNTIME_FEATURES_H
#define KURA_RUNTIME_FEATURES_H

/* The features JSON, pretty-printed; the caller frees it. */
char *features_json(void);

#endif
