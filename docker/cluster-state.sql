-- the cluster's shared state database (docs/cluster.md); Tributary creates its tables in it
CREATE DATABASE tributary_state;
