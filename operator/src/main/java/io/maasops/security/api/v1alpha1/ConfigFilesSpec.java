package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;
import java.util.ArrayList;
import java.util.List;

/** Permissions of MAAS's configuration files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigFilesSpec {

    @JsonPropertyDescription("true: fix drift with chown and chmod; false: audit only.")
    @Default("true")
    private Boolean enforce = true;

    @JsonPropertyDescription(
            "Owner. Default: what MAAS lives with on the controller's installation (deb: maas, whose services rewrite"
                    + " regiond.conf and the secret; snap: root). An owner MAAS cannot live with is refused.")
    @Pattern(Patterns.POSIX_NAME)
    private String owner;

    @JsonPropertyDescription(
            "Group. Default: maas (on a snap host without a maas group: root). A group MAAS's service user is not in"
                    + " is refused on deb.")
    @Pattern(Patterns.POSIX_NAME)
    private String group;

    @JsonPropertyDescription(
            "Octal mode without bits for others and without setuid, setgid or sticky bit (e.g. 0640, 0600).")
    @Pattern(Patterns.CONFIG_FILE_MODE)
    @Default("0640")
    private String mode = "0640";

    @JsonPropertyDescription(
            "Files to check, strictly inside /etc/maas/, /var/lib/maas/ or /var/snap/maas/; default by installation.")
    @Size(max = Patterns.CONFIG_FILE_PATHS_MAX)
    private List<@Pattern(Patterns.CONFIG_FILE_PATH) @Size(max = Patterns.CONFIG_FILE_PATH_MAX) String> paths =
            new ArrayList<>();

    @JsonPropertyDescription("How often to re-check.")
    @Pattern(Patterns.DURATION)
    @Default("10m")
    private String checkInterval = "10m";

    public Boolean getEnforce() {
        return enforce;
    }

    public void setEnforce(Boolean enforce) {
        this.enforce = enforce;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public List<String> getPaths() {
        return paths;
    }

    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    public String getCheckInterval() {
        return checkInterval;
    }

    public void setCheckInterval(String checkInterval) {
        this.checkInterval = checkInterval;
    }
}
