#ifndef PULSE_CRDKAFKA_SHIM_H
#define PULSE_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
/* The mock header #errors unless rdkafka.h came first. */
#include <librdkafka/rdkafka_mock.h>
#endif
