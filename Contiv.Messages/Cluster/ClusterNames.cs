namespace Contiv.Messages.Cluster;

/// <summary>
/// Names masters and agents must spell alike to find each other. The region names are also part of the
/// journal (the sharding coordinators' persistence ids contain them), so their values never change.
/// </summary>
public static class ClusterNames
{
    public static class Roles
    {
        public const string Master = "master";
        public const string Agent = "agent";
    }

    public static class Regions
    {
        public const string Global = "global";
        public const string Tenant = "tenant";
        public const string Pool = "pool";
        public const string Endpoint = "endpoint";
        public const string Access = "access";
    }

    public static class Singletons
    {
        public const string StateFeed = "state-feed";
    }
}
