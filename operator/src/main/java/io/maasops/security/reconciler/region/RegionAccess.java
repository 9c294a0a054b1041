package io.maasops.security.reconciler.region;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maasops.security.api.v1alpha1.MaasRegion;
import io.maasops.security.reconciler.Services;
import io.maasops.security.regionhost.MaasPackaging;
import io.maasops.security.regionhost.PodExecCommandRunner;
import io.maasops.security.regionhost.RegionCommandRunner;
import io.maasops.security.regionhost.SshCommandRunner;
import io.maasops.security.regionhost.SshCredentials;
import io.maasops.security.regionhost.SshTarget;
import io.maasops.security.util.Secret;
import java.util.Optional;

/** Builds the transport to a region controller from its spec and the Secret values it names. */
public final class RegionAccess {

  private RegionAccess() {}

  /**
   * @param privateKey the SSH private key (absent for pod exec)
   * @param knownHosts the known_hosts text (absent for pod exec)
   */
  public static RegionCommandRunner runner(MaasRegion region, Optional<Secret> privateKey, Optional<Secret> knownHosts,
                                           Services services, KubernetesClient client) {
    var access = region.getSpec().getAccess();
    if (access.getSsh() != null) {
      var ssh = access.getSsh();
      var target = new SshTarget(ssh.getHost(), ssh.getPort() == null ? 22 : ssh.getPort(), ssh.getUser(),
          ssh.getSudo() == null || ssh.getSudo());
      var credentials = new SshCredentials(privateKey.orElseThrow(), knownHosts.orElseThrow().reveal());
      return new SshCommandRunner(services.sshPool(), target, credentials);
    }
    var pod = access.getPod();
    // only ever into the MaasRegion's own namespace: the operator's ServiceAccount may exec there
    // because the admin allowed that namespace, and nowhere a namespace author could name
    return new PodExecCommandRunner(client, region.getMetadata().getNamespace(), pod.getName(), pod.getContainer());
  }

  public static MaasPackaging installation(MaasRegion region) {
    return region.getSpec().getInstallation() == io.maasops.security.api.v1alpha1.Installation.deb ? MaasPackaging.DEB : MaasPackaging.SNAP;
  }
}
