using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Bounded, expiring map GUID -> the link it came from (reverse-path routing, duplicate suppression).</summary>
    public sealed class GuidRouteTable<T> where T : class
    {
        public GuidRouteTable(IClock clock, TimeSpan lifetime, int capacity) => throw new NotImplementedException();
        public bool TryAdd(GnutellaGuid id, T from) => throw new NotImplementedException();
        public bool TryGet(GnutellaGuid id, out T from) => throw new NotImplementedException();
        public void RemoveAll(T from) => throw new NotImplementedException();
        public int Count => throw new NotImplementedException();
    }
}
