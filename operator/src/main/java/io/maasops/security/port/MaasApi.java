package io.maasops.security.port;

import io.maasops.security.maas.Entitlement;
import io.maasops.security.maas.GroupMember;
import io.maasops.security.maas.MaasApiException;
import io.maasops.security.maas.MaasController;
import io.maasops.security.maas.MaasNotification;
import io.maasops.security.maas.MaasUser;
import io.maasops.security.maas.MaasVersion;
import io.maasops.security.maas.NotificationRequest;
import io.maasops.security.maas.ResourcePool;
import io.maasops.security.maas.UserGroup;
import java.util.List;
import java.util.Optional;

/** The MAAS REST API calls the concerns make (user groups, notifications). */
public interface MaasApi {

    /** The version MAAS reports ({@code GET version/}). */
    MaasVersion version() throws MaasApiException;

    /** The external authentication URL MAAS reports to its login page; empty when MAAS authenticates locally. */
    Optional<String> externalAuthUrl() throws MaasApiException;

    /** The user the API key belongs to (GET users/?op=whoami): a cheap authenticated call, e.g. "does the API serve". */
    MaasUser whoami() throws MaasApiException;

    List<MaasUser> listUsers() throws MaasApiException;

    List<ResourcePool> listResourcePools() throws MaasApiException;

    /** {@code GET rackcontrollers/}: rack-only and region+rack controllers (RackControllerManager's node types). */
    List<MaasController> listRackControllers() throws MaasApiException;

    /** Kind GROUPS_API_UNSUPPORTED on a MAAS before 3.8. */
    List<UserGroup> listGroups() throws MaasApiException;

    UserGroup createGroup(String name, String description) throws MaasApiException;

    UserGroup updateGroup(int id, String name, String description) throws MaasApiException;

    void deleteGroup(int id) throws MaasApiException;

    List<GroupMember> listGroupMembers(int groupId) throws MaasApiException;

    void addGroupMember(int groupId, String username) throws MaasApiException;

    void removeGroupMember(int groupId, String username) throws MaasApiException;

    List<Entitlement> listEntitlements(int groupId) throws MaasApiException;

    void addEntitlement(int groupId, Entitlement e) throws MaasApiException;

    void removeEntitlement(int groupId, Entitlement e) throws MaasApiException;

    List<MaasNotification> listNotifications() throws MaasApiException;

    MaasNotification getNotification(int id) throws MaasApiException;

    MaasNotification createNotification(NotificationRequest req) throws MaasApiException;

    MaasNotification updateNotification(int id, NotificationRequest req) throws MaasApiException;

    void deleteNotification(int id) throws MaasApiException;

    /** {@code GET maas/?op=get_config&name=}: the JSON value; any authenticated user may read it (3.3 … 3.8). */
    com.fasterxml.jackson.databind.JsonNode getConfig(String name) throws MaasApiException;
}
