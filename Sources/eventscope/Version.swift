/// eventscope's version: the one place it is written (`eventscope --version`, the man page).
enum Version {
    static let number = "0.3.0"
}
