using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>The servent's GUID route tables, each made when it is first used.</summary>
    /// <remarks>
    /// A simulated network holds a servent per node, and building one routes no query, ping or hit: three or four
    /// tables a servent made at once were three or four objects per node that lived for the whole run and were never
    /// used (a leaf never routes a ping or push for another). Each is made on its first use instead, under
    /// <see cref="_gate"/> like every use of it, and told when the servent was made (<see cref="_madeUtcTicks"/>): its
    /// generations then turn over exactly as those of a table made with the servent, so routing is the same. A table
    /// never made holds no routes: forgetting a link's routes skips it.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        GuidRouteTable<object> _queryRoutes;
        GuidRouteTable<object> _pingRoutes;
        GuidRouteTable<object> _pushRoutes;   // servent GUID -> link its QueryHits came from
        // With DynamicQuerying on an ultrapeer: the highest TTL each query arrived with (see NoteQueryTtl).
        GuidRouteTable<SeenTtl> _queryTtls;
        readonly long _madeUtcTicks;
        readonly bool _tracksQueryTtls;

        /// <summary>Query GUID -> the link it came from (or <see cref="Self"/>): duplicates, and the way back for hits.</summary>
        GuidRouteTable<object> QueryRoutes => _queryRoutes ?? (_queryRoutes = NewRouteTable<object>(Options.RouteCapacity));

        /// <summary>Ping GUID -> the link it came from (or <see cref="Self"/>): the way back for pongs.</summary>
        GuidRouteTable<object> PingRoutes => _pingRoutes ?? (_pingRoutes = NewRouteTable<object>(System.Math.Max(16, Options.RouteCapacity / 10)));

        /// <summary>Servent GUID -> the link its QueryHits came from: the way to it for a Push.</summary>
        GuidRouteTable<object> PushRoutes => _pushRoutes ?? (_pushRoutes = NewRouteTable<object>(Options.RouteCapacity));

        GuidRouteTable<SeenTtl> QueryTtls => _queryTtls ?? (_queryTtls = NewRouteTable<SeenTtl>(Options.RouteCapacity));

        // Used under _gate only, so they take _gate too rather than a lock object each.
        GuidRouteTable<T> NewRouteTable<T>(int capacity) where T : class =>
            new GuidRouteTable<T>(_clock, Options.RouteLifetime, capacity, _gate, unlocked: !_locks, _madeUtcTicks);

        /// <summary>Under _gate: routes through <paramref name="link"/> lead nowhere now (it closed).</summary>
        void ForgetRoutesThrough(GnutellaLink link)
        {
            _queryRoutes?.RemoveAll(link);
            _pingRoutes?.RemoveAll(link);
            _pushRoutes?.RemoveAll(link);
        }

        /// <summary>Whether each route table has been made yet (for tests): [query, ping, push, query TTLs].</summary>
        internal bool[] RouteTablesMade => new[] { _queryRoutes != null, _pingRoutes != null, _pushRoutes != null, _queryTtls != null };
    }
}
