namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>How a Chord network is put together.</summary>
    public enum ChordBuildMode
    {
        /// <summary>
        /// Every node's predecessor, successor list and fingers computed from the sorted ids and set directly
        /// (ChordNode.SeedRoutingState), as a converged ring would have them: how a million-node ring is built in seconds.
        /// </summary>
        Precomputed,
        /// <summary>Nodes join one by one through a member with the protocol's own join; maintenance then runs until every successor is right.</summary>
        Joins,
    }
}
