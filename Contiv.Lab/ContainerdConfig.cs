using System.Text.RegularExpressions;

namespace Contiv.Lab;

/// <summary>
/// The config of a <see cref="ContainerdSandbox"/>: containerd's own `containerd config default`, with the keys
/// that must differ set in their sections. A key that is not where it is expected fails loudly (another
/// containerd version lays its config out differently), rather than being silently left at its default.
/// </summary>
public static class ContainerdConfig
{
    private const string Cri = "plugins.\"io.containerd.grpc.v1.cri\"";

    public static string Adjust(string defaults, string directory, string cniBinDir, string cniConfDir, string sandboxImage, bool podNetnsUnderStateDir = true)
    {
        var lines = defaults.Replace("\r\n", "\n").Split('\n').ToList();
        // Its own root (content, snapshots, metadata) and state (tasks, sockets of the shims' bundles).
        Set(lines, "", "root", Quote(Path.Combine(directory, "root")));
        Set(lines, "", "state", Quote(Path.Combine(directory, "state")));
        // Snapshotters that cannot work here: they only log errors at start.
        Set(lines, "", "disabled_plugins", "[\"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\"]");
        Set(lines, "grpc", "address", Quote(Path.Combine(directory, "containerd.sock")));
        // The "opt" plugin would make /opt/containerd.
        Set(lines, "plugins.\"io.containerd.internal.v1.opt\"", "path", Quote(Path.Combine(directory, "opt")));
        // Root here lacks CAP_SYS_RESOURCE: without this runc cannot lower the sandbox's oom_score_adj
        // ("can't get final child's PID from pipe").
        Set(lines, Cri, "restrict_oom_score_adj", "true");
        // Never a registry: our imported busybox image is the pause image (and containerd's namespace has no route out anyway).
        Set(lines, Cri, "sandbox_image", Quote(sandboxImage));
        // Pods' network namespaces under <state>/netns, not /var/run/netns, so that a dead run's are swept with its directory;
        // unless a process in another mount namespace (an agent started by `ip netns exec`) must open them: /var/run/netns
        // is a shared mount, whose new mounts reach such namespaces, and the state directory is not.
        Set(lines, Cri, "netns_mounts_under_state_dir", podNetnsUnderStateDir ? "true" : "false");
        Set(lines, Cri, "systemd_cgroup", "false");
        Set(lines, Cri + ".cni", "bin_dir", Quote(cniBinDir));
        Set(lines, Cri + ".cni", "conf_dir", Quote(cniConfDir));
        Set(lines, Cri + ".containerd", "snapshotter", Quote("overlayfs"));
        // cgroupfs (no systemd here), and runc's state under our directory instead of /run/containerd/runc.
        Set(lines, Cri + ".containerd.runtimes.runc.options", "SystemdCgroup", "false");
        Set(lines, Cri + ".containerd.runtimes.runc.options", "Root", Quote(Path.Combine(directory, "runc")));
        return string.Join('\n', lines);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Sets <paramref name="key"/> in the table <paramref name="section"/> ("" for the top level, before any table).</summary>
    private static void Set(List<string> lines, string section, string key, string value)
    {
        var start = 0;
        if (section != "")
        {
            start = lines.FindIndex(line => line.Trim() == "[" + section + "]");
            if (start < 0) throw new InvalidOperationException($"containerd's default config has no [{section}]");
            start++;
        }
        var pattern = new Regex("^(\\s*)" + Regex.Escape(key) + " = ");
        for (var i = start; i < lines.Count && !lines[i].TrimStart().StartsWith('['); i++)
        {
            var match = pattern.Match(lines[i]);
            if (!match.Success) continue;
            lines[i] = match.Groups[1].Value + key + " = " + value;
            return;
        }
        throw new InvalidOperationException($"containerd's default config has no {key} in [{(section == "" ? "top level" : section)}]");
    }
}
