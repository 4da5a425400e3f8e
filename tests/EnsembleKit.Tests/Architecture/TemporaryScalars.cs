using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnsembleKit.Tests.Architecture;

/// <summary>
/// Sites in a library's sources where a <c>TorchSharp.Scalar</c> is made and handed straight to a native call: an implicit
/// conversion (<c>t.clamp(0, 1)</c>), an operator with a number (<c>t * 2</c>) or a <c>.ToScalar()</c> that no <c>using</c> owns. Such a temporary is
/// unreachable once its handle has been read, so a garbage collection on another thread can run its finalizer, which
/// frees the native scalar while libtorch is still reading it ("Unknown scalar type", or worse): TorchSharp 0.107 has no
/// <c>GC.KeepAlive</c> there (dotnet/TorchSharp#1434, #1496, both open). The kit keeps its scalars alive instead.
/// </summary>
public static class TemporaryScalars
{
    /// <summary>"file:line  code" for every such site, in file order.</summary>
    public static IReadOnlyList<string> Find(string sourceFolder)
    {
        var (compilation, trees) = LibrarySources.Compile(sourceFolder);
        var scalar = compilation.GetTypeByMetadataName("TorchSharp.Scalar") ?? throw new InvalidOperationException("TorchSharp.Scalar is not referenced.");
        var sites = new List<string>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var expression in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
            {
                if (IsImplicitScalar(model, expression, scalar) || IsUnownedToScalar(model, expression, scalar) || IsScalarOperator(model, expression))
                    sites.Add(Describe(expression, sourceFolder));
            }
        }
        return sites;
    }

    static bool IsImplicitScalar(SemanticModel model, ExpressionSyntax expression, INamedTypeSymbol scalar)
    {
        // Roslyn reports the conversion of `a.b` on the name `b` too: judge the whole member access once, where it stands.
        if (expression.Parent is MemberAccessExpressionSyntax access && access.Name == expression) return false;
        var conversion = model.GetConversion(expression);
        return conversion is { IsUserDefined: true, IsImplicit: true }
            && SymbolEqualityComparer.Default.Equals(conversion.MethodSymbol?.ReturnType, scalar)
            && !IsOwnedValue(expression);
    }

    /// <summary><c>t * 2</c>, <c>1 - t</c>, <c>t &gt; 0.5</c>, <c>t += 1</c>: TorchSharp's operators with a number make the
    /// scalar inside TorchSharp, out of reach of any <c>using</c>.</summary>
    static bool IsScalarOperator(SemanticModel model, ExpressionSyntax expression) =>
        expression is BinaryExpressionSyntax or AssignmentExpressionSyntax
        && model.GetSymbolInfo(expression).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op
        && op.ContainingType.ToDisplayString() == "TorchSharp.torch.Tensor"
        && op.Parameters.Any(p => p.Type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double);

    static bool IsUnownedToScalar(SemanticModel model, ExpressionSyntax expression, INamedTypeSymbol scalar) =>
        expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "ToScalar" } }
        && SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(expression).Type, scalar)
        && !IsOwnedValue(expression);

    /// <summary>The value initialises a <c>using</c> variable or a static field, so something holds it while it is used.</summary>
    static bool IsOwnedValue(ExpressionSyntax expression)
    {
        if (expression.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }) return false;
        return declaration.Parent switch
        {
            LocalDeclarationStatementSyntax local => local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword),
            UsingStatementSyntax => true,
            FieldDeclarationSyntax field => field.Modifiers.Any(SyntaxKind.StaticKeyword),
            _ => false,
        };
    }

    static string Describe(SyntaxNode node, string sourceFolder)
    {
        var line = node.GetLocation().GetLineSpan();
        var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault() ?? node;
        return $"{Path.GetRelativePath(sourceFolder, line.Path)}:{line.StartLinePosition.Line + 1}  {node}  in  {statement.ToString().Split('\n')[0].Trim()}";
    }
}
