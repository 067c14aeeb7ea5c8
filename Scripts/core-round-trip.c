// core-round-trip.c: how long a cache line takes to go from core 0 to core 1 and back. Two
// threads, pinned to CPUs 0 and 1, take turns writing one shared counter; the time per turn pair
// is the round trip. On the 2-vCPU benchmark machine it reads about 55 ns when the host runs both
// vCPUs on one core complex and about 300-340 ns when it does not, and the Hogwild word-vector
// trainers (which share hot rows between threads) run at half speed in the second case.
// Build and run (no part of the package; Linux):  cc -O2 -pthread Scripts/core-round-trip.c -o /tmp/rt && /tmp/rt
// Not handled: machines with fewer than two CPUs, other CPU pairs.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

static volatile long turn __attribute__((aligned(64)));
static const long rounds = 2000000;

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *answer(void *unused) {
    (void)unused;
    pin(1);
    for (long i = 0; i < rounds; i++) {
        while (turn != 2 * i + 1) {}
        turn = 2 * i + 2;
    }
    return NULL;
}

int main(void) {
    pin(0);
    pthread_t other;
    turn = 0;
    pthread_create(&other, NULL, answer, NULL);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < rounds; i++) {
        turn = 2 * i + 1;
        while (turn != 2 * i + 2) {}
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    pthread_join(other, NULL);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
    printf("round_trip_ns=%.1f\n", seconds / (double)rounds * 1e9);
    return 0;
}
