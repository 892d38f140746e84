/* wlab/api.h: WLAB_API marks each public function of libwasm. The library is
 * built with -fvisibility=hidden, so libwasm.so exports these and nothing
 * else (an embedder's own dec_fail or val_push cannot clash with ours);
 * tests/embed/ checks the list with nm -D. */
#ifndef WLAB_API_H
#define WLAB_API_H

#if defined(__GNUC__) || defined(__clang__)
#define WLAB_API __attribute__((visibility("default")))
#else
#define WLAB_API
#endif

#endif
