namespace EnsembleKit.Data;

/// <summary>
/// The Debian mirrors this machine's apt is configured with, read straight from <c>/etc/apt</c> so that
/// it works without root and before <c>apt-get update</c> has ever run: deb822 <c>*.sources</c> files
/// (<c>URIs:</c> fields) and one-line <c>sources.list</c> / <c>*.list</c> entries (<c>deb URI suite component...</c>).
/// </summary>
public static class DebianMirrors
{
    /// <summary>Debian's own redirector, tried after the configured mirrors (it serves every Debian release's pool).</summary>
    public const string DefaultMirror = "http://deb.debian.org/debian";

    /// <summary>
    /// The http(s) mirror roots named in <paramref name="etcApt"/> (<c>sources.list</c>, then
    /// <c>sources.list.d/*.list</c> and <c>*.sources</c> in name order, as apt reads them), without
    /// duplicates or trailing slashes, followed by <see cref="DefaultMirror"/> when it is not among them.
    /// Unreadable files are skipped: this only gathers candidates.
    /// </summary>
    public static IReadOnlyList<string> Find(string etcApt = "/etc/apt")
    {
        var found = new List<string>();
        var list = Path.Combine(etcApt, "sources.list");
        if (File.Exists(list)) found.AddRange(ParseOneLine(TryRead(list)));
        var folder = Path.Combine(etcApt, "sources.list.d");
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".sources", StringComparison.Ordinal)) found.AddRange(ParseDeb822(TryRead(file)));
                else if (file.EndsWith(".list", StringComparison.Ordinal)) found.AddRange(ParseOneLine(TryRead(file)));
            }
        }
        // Only plain http(s) can be fetched with HttpClient; cdrom:, file:, mirror+... are apt's own business.
        var mirrors = found.Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            .Select(u => u.TrimEnd('/'))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (!mirrors.Contains(DefaultMirror)) mirrors.Add(DefaultMirror);
        return mirrors;
    }

    static string TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>
    /// The <c>URIs:</c> of every enabled stanza whose <c>Types:</c> include <c>deb</c>, in order, as written.
    /// Stanzas are separated by blank lines; <c>#</c> lines are comments; a line starting with a space or tab
    /// continues the previous field; field names are case-insensitive (deb822, see sources.list(5)).
    /// </summary>
    public static IReadOnlyList<string> ParseDeb822(string text)
    {
        var uris = new List<string>();
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;

        void EndStanza()
        {
            bool isDeb = fields.TryGetValue("Types", out var types) && types.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Contains("deb");
            bool enabled = !fields.TryGetValue("Enabled", out var on) || !on.Trim().Equals("no", StringComparison.OrdinalIgnoreCase);
            if (isDeb && enabled && fields.TryGetValue("URIs", out var value))
                uris.AddRange(value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            fields.Clear();
            last = null;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#')) continue;
            if (line.Trim().Length == 0) { EndStanza(); continue; }
            if (line[0] is ' ' or '\t')
            {
                if (last is not null) fields[last] += " " + line.Trim();
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            last = line[..colon].Trim();
            fields[last] = line[(colon + 1)..].Trim();
        }
        EndStanza();
        return uris;
    }

    /// <summary>
    /// The URI of every <c>deb</c> line (not <c>deb-src</c>) of one-line sources text, in order, as written:
    /// <c>deb [option=value ...] URI suite [component...]</c>; <c>#</c> starts a comment; <c>cdrom:</c> entries are skipped.
    /// </summary>
    public static IReadOnlyList<string> ParseOneLine(string text)
    {
        var uris = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var hash = raw.IndexOf('#');
            var tokens = (hash >= 0 ? raw[..hash] : raw).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 3 || tokens[0] != "deb") continue;
            // "deb cdrom:[Debian GNU/Linux 12 ...]/ bookworm main": an installation disc, and its label holds spaces.
            if (tokens[1].StartsWith("cdrom:", StringComparison.Ordinal)) continue;
            int at = 1;
            if (tokens[at].StartsWith('['))
            {
                // Options may hold spaces: "[ arch=amd64 signed-by=/usr/share/keyrings/x.gpg ]".
                while (at < tokens.Length && !tokens[at].EndsWith(']')) at++;
                at++;
            }
            if (at < tokens.Length) uris.Add(tokens[at]);
        }
        return uris;
    }
}
