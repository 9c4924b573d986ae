public enum PulseProducersPlaceholder {}
