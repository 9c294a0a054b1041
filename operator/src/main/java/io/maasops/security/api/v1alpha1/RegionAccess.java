package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** How the operator runs commands on the controller: exactly one of ssh or pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegionAccess {

    @JsonPropertyDescription("Over SSH.")
    private SshAccess ssh;

    @JsonPropertyDescription("By pod exec.")
    private PodAccess pod;

    public SshAccess getSsh() {
        return ssh;
    }

    public void setSsh(SshAccess ssh) {
        this.ssh = ssh;
    }

    public PodAccess getPod() {
        return pod;
    }

    public void setPod(PodAccess pod) {
        this.pod = pod;
    }
}
