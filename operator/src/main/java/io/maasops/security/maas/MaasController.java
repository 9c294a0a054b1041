package io.maasops.security.maas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A controller as API 2.0 lists it (DISPLAYED_RACK_CONTROLLER_FIELDS, api/rackcontrollers.py, 3.3 … 3.8).
 *
 * @param nodeType MAAS's NODE_TYPE (maasserver/enum.py): 2 rack controller, 3 region controller, 4 region and rack
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaasController(
        @JsonProperty("system_id") String systemId,
        String hostname,
        @JsonProperty("node_type") int nodeType) {

    public static final int RACK_CONTROLLER = 2;
    public static final int REGION_CONTROLLER = 3;
    public static final int REGION_AND_RACK_CONTROLLER = 4;

    /** A rack controller with no region on the same node: no regiond ever marks it configured for Vault. */
    public boolean rackOnly() {
        return nodeType == RACK_CONTROLLER;
    }
}
