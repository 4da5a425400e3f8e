namespace EnsembleKit.Cli.Members;

/// <summary>
/// A runs folder's members cannot be used as asked: a member or folder written under another recipe, a mix of recipes,
/// no complete member. The message names the folder and says what to do.
/// </summary>
public sealed class MemberStoreException(string message) : IOException(message);
