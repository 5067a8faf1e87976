using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>A Query Routing Protocol table of keyword hashes.</summary>
    public sealed class QueryRouteTable
    {
        public QueryRouteTable(int bits = 16) => throw new NotImplementedException();

        public static int Hash(string keyword, int bits) => throw new NotImplementedException();
        public void Add(string keyword) => throw new NotImplementedException();
        public void AddFileName(string name) => throw new NotImplementedException();
        public bool MayMatch(string criteria) => throw new NotImplementedException();
        public IEnumerable<RouteTableUpdate> ToUpdates(int maxPatchBytes) => throw new NotImplementedException();
        public void Apply(RouteTableUpdate update) => throw new NotImplementedException();
        public bool IsComplete => throw new NotImplementedException();
    }
}
