using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public sealed class DebianMirrorsTests : IDisposable
{
    readonly string temp = Path.Combine(Path.GetTempPath(), "ensemblekit-mirrors-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
    }

    /// <summary>/etc/apt/sources.list.d/debian.sources of the Debian 12 container image this kit is developed on.</summary>
    const string Bookworm = """
        Types: deb
        # http://snapshot.debian.org/archive/debian/20250520T000000Z
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        # http://snapshot.debian.org/archive/debian-security/20250520T000000Z
        URIs: http://deb.debian.org/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """;

    [Fact]
    public void ReadsTheUrisOfADeb822File()
    {
        Assert.Equal(["http://deb.debian.org/debian", "http://deb.debian.org/debian-security"], DebianMirrors.ParseDeb822(Bookworm));
    }

    [Fact]
    public void Deb822SkipsSourceOnlyAndDisabledStanzasAndReadsContinuations()
    {
        var text = "Types: deb-src\r\nURIs: http://src.example.org/debian\r\nSuites: bookworm\r\n\r\n" +
                   "Types: deb\nEnabled: no\nURIs: http://disabled.example.org/debian\nSuites: bookworm\n\n" +
                   "types: deb deb-src\nuris: https://a.example.org/debian/ http://b.example.org/debian\nsuites: bookworm\n\n" +
                   "Types: deb\nURIs:\n http://c.example.org/debian\n\thttp://d.example.org/debian\nSuites: bookworm\n" +
                   "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBF...\n";
        Assert.Equal(
            ["https://a.example.org/debian/", "http://b.example.org/debian", "http://c.example.org/debian", "http://d.example.org/debian"],
            DebianMirrors.ParseDeb822(text));
    }

    [Fact]
    public void ReadsTheUrisOfOneLineSources()
    {
        const string text = """
            # deb http://commented.example.org/debian bookworm main
            deb http://deb.debian.org/debian bookworm main contrib
            deb-src http://deb.debian.org/debian bookworm main
            deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] https://mirror.example.org/debian/ bookworm main
            deb [ arch=amd64 trusted=yes ] http://ftp.de.debian.org/debian bookworm main # a trailing comment
            deb cdrom:[Debian GNU/Linux 12.0.0 _Bookworm_ - Official amd64 DVD Binary-1]/ bookworm contrib main
            deb http://incomplete.example.org/debian
            """;
        Assert.Equal(
            ["http://deb.debian.org/debian", "https://mirror.example.org/debian/", "http://ftp.de.debian.org/debian"],
            DebianMirrors.ParseOneLine(text));
    }

    [Fact]
    public void FindReadsEtcAptInAptsOrderAndAddsDebiansRedirector()
    {
        var d = Path.Combine(temp, "sources.list.d");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(temp, "sources.list"), "deb http://one.example.org/debian bookworm main\ndeb file:/srv/local bookworm main\n");
        File.WriteAllText(Path.Combine(d, "b.sources"), "Types: deb\nURIs: http://three.example.org/debian/\nSuites: bookworm\n");
        File.WriteAllText(Path.Combine(d, "a.list"), "deb https://two.example.org/debian bookworm main\ndeb http://one.example.org/debian/ bookworm-updates main\n");
        File.WriteAllText(Path.Combine(d, "c.sources.disabled"), "Types: deb\nURIs: http://ignored.example.org/debian\nSuites: bookworm\n");
        Assert.Equal(
            ["http://one.example.org/debian", "https://two.example.org/debian", "http://three.example.org/debian", DebianMirrors.DefaultMirror],
            DebianMirrors.Find(temp));
    }

    [Fact]
    public void FindKeepsTheConfiguredOrderWhenTheRedirectorIsConfigured()
    {
        var d = Path.Combine(temp, "sources.list.d");
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "debian.sources"), Bookworm);
        Assert.Equal(["http://deb.debian.org/debian", "http://deb.debian.org/debian-security"], DebianMirrors.Find(temp));
    }

    [Fact]
    public void FindWithNoAptConfigurationStillNamesDebiansRedirector()
    {
        Assert.Equal([DebianMirrors.DefaultMirror], DebianMirrors.Find(Path.Combine(temp, "no-such-etc-apt")));
    }
}
