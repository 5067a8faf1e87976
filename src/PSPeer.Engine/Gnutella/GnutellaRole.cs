namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// What a servent is in the two-tier Gnutella 0.6 network: an ultrapeer routes queries among ultrapeers and to its
    /// leaves; a leaf holds a few ultrapeer links, never routes, and only sends its own queries and answers.
    /// </summary>
    public enum GnutellaRole
    {
        Ultrapeer,
        Leaf,
    }
}
