package io.maasops.security.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.*;

/** One configuration file as last seen on the controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigFileStatus {

    @JsonPropertyDescription("Absolute path.")
    private String path;

    @JsonPropertyDescription("Whether the file exists.")
    private Boolean exists;

    @JsonPropertyDescription("Octal mode.")
    private String mode;

    @JsonPropertyDescription("Owner name.")
    private String owner;

    @JsonPropertyDescription("Group name.")
    private String group;

    @JsonPropertyDescription(
            "Set when the path is not a regular file (e.g. \"symbolic link\"): the operator never follows links and changes regular files only.")
    private String fileType;

    @JsonPropertyDescription("Matches the wanted owner, group and mode.")
    private Boolean compliant;

    @JsonPropertyDescription("RFC 3339 time of the last fix.")
    private String fixedAt;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Boolean getExists() {
        return exists;
    }

    public void setExists(Boolean exists) {
        this.exists = exists;
    }

    public String getFileType() {
        return fileType;
    }

    public void setFileType(String fileType) {
        this.fileType = fileType;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
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

    public Boolean getCompliant() {
        return compliant;
    }

    public void setCompliant(Boolean compliant) {
        this.compliant = compliant;
    }

    public String getFixedAt() {
        return fixedAt;
    }

    public void setFixedAt(String fixedAt) {
        this.fixedAt = fixedAt;
    }
}
